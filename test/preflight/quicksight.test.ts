import { DescribeAccountSubscriptionCommand, DescribeGroupCommand, DescribeUserCommand, ResourceNotFoundException } from '@aws-sdk/client-quicksight';
import { checkQuickSight, parseQuickSightPrincipal } from '../../tools/preflight/checks/quicksight';
import { type Fixture, parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { awsError, readyAccount, sampleTarget, stubClients } from './stubs';

const GROUP = 'arn:aws:quicksight:eu-west-1:111111111111:group/default/lake-bi-authors';
const notFound = (message: string) => new ResourceNotFoundException({ $metadata: { httpStatusCode: 404 }, message });

function changed(change: (fixture: Fixture) => void) {
  const fixture = sampleFixture();
  change(fixture);
  return sampleTarget('dev', parseFixture(fixture));
}

function ready() {
  const { clients, mocks } = stubClients();
  readyAccount(mocks);
  return { clients, mocks };
}

describe('QuickSight', () => {
  test('ok: subscription and every principal, looked up in the identity region by namespace and name', async () => {
    const { clients, mocks } = ready();
    expect(await checkQuickSight(clients, sampleTarget())).toEqual([
      { check: 'quicksight', status: 'ok', message: 'QuickSight subscription in account 111111111111: ENTERPRISE edition, ACCOUNT_CREATED.' },
      { check: 'quicksight', status: 'ok', message: `QuickSight group ${GROUP} exists.` },
    ]);
    expect(mocks.quickSight.commandCalls(DescribeGroupCommand)[0].args[0].input).toEqual({ AwsAccountId: '111111111111', Namespace: 'default', GroupName: 'lake-bi-authors' });
  });

  test('info: no dashboard enabled, nothing to check', async () => {
    const { clients, mocks } = ready();
    const target = changed((fixture) => { fixture.lobs['config/lobs/finance.yaml'].dashboard.enabled = false; });
    expect(await checkQuickSight(clients, target)).toEqual([{ check: 'quicksight', status: 'info', message: 'No line of business enables a dashboard in dev: QuickSight is not needed.' }]);
    expect(mocks.quickSight.calls()).toHaveLength(0);
  });

  test('problem: a principal ARN in config that does not exist, with the ARN and what to do', async () => {
    const { clients, mocks } = ready();
    mocks.quickSight.on(DescribeGroupCommand).rejects(notFound('Group not found'));
    expect(await checkQuickSight(clients, sampleTarget())).toEqual([
      { check: 'quicksight', status: 'ok', message: 'QuickSight subscription in account 111111111111: ENTERPRISE edition, ACCOUNT_CREATED.' },
      {
        check: 'quicksight', status: 'problem',
        message: `QuickSight group ${GROUP} does not exist (namespace default, identity region eu-west-1); the dashboard stacks grant it permissions, so they would fail.`,
        action: 'Either create the group (`aws quicksight create-group --aws-account-id 111111111111 --namespace default --group-name lake-bi-authors --region eu-west-1`), '
          + 'or fix quickSight.principals of environment dev in config/platform.yaml.',
      },
    ]);
  });

  test('problem: a user that does not exist; a user named after an IAM role session is parsed whole', async () => {
    const user = 'arn:aws:quicksight:eu-west-1:111111111111:user/default/LakeReader/jane@example.com';
    const { clients, mocks } = ready();
    mocks.quickSight.on(DescribeUserCommand).rejects(notFound('User not found'));
    const target = changed((fixture) => { fixture.platform.environments[0].quickSight.principals = [user]; });
    expect((await checkQuickSight(clients, target))[1]).toEqual({
      check: 'quicksight', status: 'problem',
      message: `QuickSight user ${user} does not exist (namespace default, identity region eu-west-1); the dashboard stacks grant it permissions, so they would fail.`,
      action: 'Either invite or register the user in QuickSight (Manage QuickSight > Manage users), or fix quickSight.principals of environment dev in config/platform.yaml.',
    });
    expect(mocks.quickSight.commandCalls(DescribeUserCommand)[0].args[0].input).toEqual({ AwsAccountId: '111111111111', Namespace: 'default', UserName: 'LakeReader/jane@example.com' });
  });

  test('problem: a principal outside the identity region', async () => {
    const { clients } = ready();
    const other = 'arn:aws:quicksight:us-east-1:111111111111:group/default/lake-bi-authors';
    const target = changed((fixture) => { fixture.platform.environments[0].quickSight.principals = [other]; });
    expect((await checkQuickSight(clients, target))[1]).toEqual({
      check: 'quicksight', status: 'problem',
      message: `QuickSight principal ${other} is in 111111111111/us-east-1, but the environment's QuickSight identity store is 111111111111/eu-west-1.`,
      action: 'Name a principal of account 111111111111 in region eu-west-1 in quickSight.principals of environment dev in config/platform.yaml, or fix quickSight.identityRegion.',
    });
  });

  test('problem: a principal ARN without a namespace', async () => {
    const { clients } = ready();
    const bad = 'arn:aws:quicksight:eu-west-1:111111111111:group/lake-bi-authors';
    const target = changed((fixture) => { fixture.platform.environments[0].quickSight.principals = [bad]; });
    expect((await checkQuickSight(clients, target))[1]).toEqual({
      check: 'quicksight', status: 'problem', message: `QuickSight principal ${bad} is not a user or group ARN with a namespace.`,
      action: 'Write arn:aws:quicksight:<identity region>:<account>:user/<namespace>/<name> (or group/...) in quickSight.principals of environment dev in config/platform.yaml.',
    });
  });

  test('problem: no QuickSight subscription', async () => {
    const { clients, mocks } = ready();
    mocks.quickSight.on(DescribeAccountSubscriptionCommand).rejects(notFound('Account not found'));
    expect((await checkQuickSight(clients, sampleTarget()))[0]).toEqual({
      check: 'quicksight', status: 'problem',
      message: 'Account 111111111111 has no QuickSight subscription; the dashboard stacks of finance need one.',
      action: 'Sign up for QuickSight in account 111111111111, or set dashboard.enabled: false in config/lobs/finance.yaml.',
    });
  });

  test('problem: Standard edition when a LoB configures row-level security', async () => {
    const { clients, mocks } = ready();
    mocks.quickSight.on(DescribeAccountSubscriptionCommand).resolves({ AccountInfo: { Edition: 'STANDARD', AccountSubscriptionStatus: 'ACCOUNT_CREATED' } });
    const rls = changed((fixture) => {
      const finance = fixture.lobs['config/lobs/finance.yaml'];
      const table = finance.curated.enriched[0].name;
      finance.dashboard.rowLevelSecurity = { rulesTable: table, tables: [table] };
    });
    expect((await checkQuickSight(clients, rls))[0]).toEqual({
      check: 'quicksight', status: 'problem',
      message: 'QuickSight in account 111111111111 is the STANDARD edition; row-level security (dashboard.rowLevelSecurity of finance) needs Enterprise.',
      action: 'Upgrade the QuickSight subscription to Enterprise (Manage QuickSight > Your subscriptions), or remove dashboard.rowLevelSecurity from config/lobs/finance.yaml.',
    });
    // Without row-level security, Standard is enough.
    expect((await checkQuickSight(clients, sampleTarget()))[0])
      .toEqual({ check: 'quicksight', status: 'ok', message: 'QuickSight subscription in account 111111111111: STANDARD edition, ACCOUNT_CREATED.' });
  });

  test('problem: an edition without groups', async () => {
    const { clients, mocks } = ready();
    mocks.quickSight.on(DescribeGroupCommand).rejects(awsError('UnsupportedUserEditionException', 'This operation is not supported for the STANDARD edition', 403));
    expect((await checkQuickSight(clients, sampleTarget()))[1]).toEqual({
      check: 'quicksight', status: 'problem',
      message: `QuickSight could not look up group ${GROUP}: UnsupportedUserEditionException: This operation is not supported for the STANDARD edition`,
      action: 'Upgrade QuickSight to Enterprise edition, or name users instead of groups in quickSight.principals of environment dev in config/platform.yaml.',
    });
  });

  test('ARN parsing', () => {
    expect(parseQuickSightPrincipal(GROUP)).toEqual({ arn: GROUP, region: 'eu-west-1', account: '111111111111', kind: 'group', namespace: 'default', name: 'lake-bi-authors' });
    expect(parseQuickSightPrincipal('arn:aws:quicksight:eu-west-1:111111111111:user/finance/Role/session')).toMatchObject({ kind: 'user', namespace: 'finance', name: 'Role/session' });
    expect(parseQuickSightPrincipal('arn:aws:iam::111111111111:role/x')).toBeUndefined();
  });
});

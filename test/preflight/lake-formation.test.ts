import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetRoleCommand, GetUserCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { DescribeResourceCommand, GetDataLakeSettingsCommand } from '@aws-sdk/client-lakeformation';
import { checkLakeFormationAdmins } from '../../tools/preflight/checks/lake-formation-admins';
import { checkLakeFormationSettings } from '../../tools/preflight/checks/lake-formation-settings';
import { parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { awsError, readyAccount, role, sampleTarget, stubClients, toolkitStack } from './stubs';

const EXEC_ROLE = 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1';
const noSuchEntity = (message: string) => new NoSuchEntityException({ $metadata: { httpStatusCode: 404 }, message });

/** The sample with these Lake Formation admins in dev. */
function withAdmins(...admins: string[]) {
  const fixture = sampleFixture();
  fixture.platform.environments[0].accountSettings.lakeFormationAdmins = admins;
  return sampleTarget('dev', parseFixture(fixture));
}

describe('Lake Formation admins', () => {
  test('ok for an existing role; a problem for a user whose path differs from the config', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    expect(await checkLakeFormationAdmins(clients, withAdmins('arn:aws:iam::111111111111:role/LakeAdmin', 'arn:aws:iam::111111111111:user/ops/alice'))).toEqual([
      { check: 'lake-formation-admins', status: 'ok', message: 'Lake Formation admin arn:aws:iam::111111111111:role/LakeAdmin exists.' },
      {
        check: 'lake-formation-admins', status: 'problem',
        message: 'Lake Formation admin arn:aws:iam::111111111111:user/ops/alice does not exist as written: the IAM user alice is arn:aws:iam::111111111111:user/alice (its path differs).',
        action: 'Write arn:aws:iam::111111111111:user/alice in accountSettings.lakeFormationAdmins of environment dev in config/platform.yaml.',
      },
    ]);
    expect(mocks.iam.commandCalls(GetRoleCommand)[0].args[0].input).toEqual({ RoleName: 'LakeAdmin' });
    expect(mocks.iam.commandCalls(GetUserCommand)[0].args[0].input).toEqual({ UserName: 'alice' });
  });

  test('ok: a role with a path, looked up by its name', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    mocks.iam.on(GetRoleCommand, { RoleName: 'LakeAdmin' }).resolves({ Role: role('111111111111', 'LakeAdmin', '/platform/') });
    expect(await checkLakeFormationAdmins(clients, withAdmins('arn:aws:iam::111111111111:role/platform/LakeAdmin'))).toEqual([
      { check: 'lake-formation-admins', status: 'ok', message: 'Lake Formation admin arn:aws:iam::111111111111:role/platform/LakeAdmin exists.' },
    ]);
  });

  test('problem: a missing role, with the ARN and what to do', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    mocks.iam.on(GetRoleCommand, { RoleName: 'LakeAdmin' }).rejects(noSuchEntity('The role with name LakeAdmin cannot be found.'));
    expect(await checkLakeFormationAdmins(clients, sampleTarget())).toEqual([{
      check: 'lake-formation-admins', status: 'problem',
      message: 'Lake Formation admin arn:aws:iam::111111111111:role/LakeAdmin does not exist: account 111111111111 has no IAM role named LakeAdmin.',
      action: 'Create the IAM role LakeAdmin in account 111111111111 before deploying (the platform stack makes it a data lake administrator), '
        + 'or fix accountSettings.lakeFormationAdmins of environment dev in config/platform.yaml.',
    }]);
  });

  test('problem: a missing user', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    mocks.iam.on(GetUserCommand).rejects(noSuchEntity('The user with name bob cannot be found.'));
    expect(await checkLakeFormationAdmins(clients, withAdmins('arn:aws:iam::111111111111:user/bob'))).toEqual([{
      check: 'lake-formation-admins', status: 'problem',
      message: 'Lake Formation admin arn:aws:iam::111111111111:user/bob does not exist: account 111111111111 has no IAM user named bob.',
      action: 'Create the IAM user bob in account 111111111111 before deploying (the platform stack makes it a data lake administrator), '
        + 'or fix accountSettings.lakeFormationAdmins of environment dev in config/platform.yaml.',
    }]);
  });

  test('problem: IAM reads denied', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    mocks.iam.on(GetRoleCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:GetRole', 403));
    expect(await checkLakeFormationAdmins(clients, sampleTarget())).toEqual([{
      check: 'lake-formation-admins', status: 'problem',
      message: 'Could not check Lake Formation admin arn:aws:iam::111111111111:role/LakeAdmin: AccessDenied: not authorized to perform: iam:GetRole',
      action: 'Run preflight with credentials allowed iam:GetRole (docs/first-deploy.md lists every action preflight calls).',
    }]);
  });
});

describe('Lake Formation settings', () => {
  const CHECK = 'lake-formation-settings';
  const UNREGISTERED = { check: CHECK, status: 'ok', message: 'None of the 8 data-layer bucket locations of dev is registered with Lake Formation yet; the governance stacks register them with hybrid access mode off.' };

  test('a fresh account: nothing to keep, what the deploy adds', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    expect(await checkLakeFormationSettings(clients, sampleTarget())).toEqual([
      { check: CHECK, status: 'info', message: 'No data lake administrators are set in 111111111111/eu-west-1 yet.' },
      {
        check: CHECK, status: 'info',
        message: `The deploy adds as data lake administrators: arn:aws:iam::111111111111:role/LakeAdmin; the CDK CloudFormation execution role ${EXEC_ROLE} (it creates the lake's databases, registrations and grants).`,
      },
      { check: CHECK, status: 'ok', message: 'New databases and tables get no IAMAllowedPrincipals permissions, as the platform stack sets.' },
      UNREGISTERED,
    ]);
    expect(mocks.lakeFormation.commandCalls(DescribeResourceCommand).map((call) => call.args[0].input.ResourceArn)).toEqual([
      'arn:aws:s3:::acme-dev-finance-raw-111111111111-eu-west-1', 'arn:aws:s3:::acme-dev-finance-standardized-111111111111-eu-west-1',
      'arn:aws:s3:::acme-dev-finance-conformed-111111111111-eu-west-1', 'arn:aws:s3:::acme-dev-finance-enriched-111111111111-eu-west-1',
      'arn:aws:s3:::acme-dev-marketing-raw-111111111111-eu-west-1', 'arn:aws:s3:::acme-dev-marketing-standardized-111111111111-eu-west-1',
      'arn:aws:s3:::acme-dev-marketing-conformed-111111111111-eu-west-1', 'arn:aws:s3:::acme-dev-marketing-enriched-111111111111-eu-west-1',
    ]);
  });

  test('a brownfield account: who stays admin, the IAMAllowedPrincipals defaults the deploy turns off, other settings', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    const iamAllowed = [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL' as const] }];
    mocks.lakeFormation.on(GetDataLakeSettingsCommand).resolves({
      DataLakeSettings: {
        DataLakeAdmins: [{ DataLakePrincipalIdentifier: 'arn:aws:iam::111111111111:role/Admin' }, { DataLakePrincipalIdentifier: 'arn:aws:iam::111111111111:role/LakeAdmin' }],
        ReadOnlyAdmins: [{ DataLakePrincipalIdentifier: 'arn:aws:iam::111111111111:role/Auditor' }],
        CreateDatabaseDefaultPermissions: iamAllowed,
        CreateTableDefaultPermissions: iamAllowed,
        Parameters: { CROSS_ACCOUNT_VERSION: '4' },
        AllowExternalDataFiltering: true,
        ExternalDataFilteringAllowList: [{ DataLakePrincipalIdentifier: '222222222222' }],
      },
    });
    expect(await checkLakeFormationSettings(clients, sampleTarget())).toEqual([
      {
        check: CHECK, status: 'info',
        message: 'Data lake administrators now, who stay administrators (the platform stack appends, MutationType APPEND): arn:aws:iam::111111111111:role/Admin, arn:aws:iam::111111111111:role/LakeAdmin.',
      },
      { check: CHECK, status: 'info', message: `The deploy adds as data lake administrators: the CDK CloudFormation execution role ${EXEC_ROLE} (it creates the lake's databases, registrations and grants).` },
      { check: CHECK, status: 'info', message: 'Read-only administrators, which the platform stack does not set: arn:aws:iam::111111111111:role/Auditor.' },
      {
        check: CHECK, status: 'info',
        message: 'CreateDatabaseDefaultPermissions and CreateTableDefaultPermissions still grant IAMAllowedPrincipals: new databases and tables are open to IAM policies alone. '
          + 'The deploy sets both to none, so Lake Formation grants alone govern databases and tables created after it; existing ones keep their IAMAllowedPrincipals grants.',
        action: 'After the platform stack deploys, check Lake Formation > Data Catalog settings: an open CloudFormation issue '
          + '(aws-cloudformation/cloudformation-coverage-roadmap#2197) reports that empty lists do not clear defaults already set. '
          + 'If the two "Use only IAM access control" boxes are still ticked, clear them there.',
      },
      {
        check: CHECK, status: 'info',
        message: 'Other settings, which the platform stack\'s template does not set: CROSS_ACCOUNT_VERSION=4; AllowExternalDataFiltering=true; ExternalDataFilteringAllowList=222222222222.',
      },
      UNREGISTERED,
    ]);
  });

  test('nothing to add when every admin already is one', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    mocks.lakeFormation.on(GetDataLakeSettingsCommand).resolves({
      DataLakeSettings: { DataLakeAdmins: [{ DataLakePrincipalIdentifier: 'arn:aws:iam::111111111111:role/LakeAdmin' }, { DataLakePrincipalIdentifier: EXEC_ROLE }] },
    });
    expect((await checkLakeFormationSettings(clients, sampleTarget()))[1])
      .toEqual({ check: CHECK, status: 'info', message: 'The deploy adds no administrator: every one the platform stack sets already is one.' });
  });

  test('problem: a data-layer location registered outside the governance stack, with hybrid access mode on', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    const arn = 'arn:aws:s3:::acme-dev-finance-raw-111111111111-eu-west-1';
    mocks.lakeFormation.on(DescribeResourceCommand, { ResourceArn: arn })
      .resolves({ ResourceInfo: { ResourceArn: arn, RoleArn: 'arn:aws:iam::111111111111:role/OldLakeRole', HybridAccessEnabled: true } });
    const findings = await checkLakeFormationSettings(clients, sampleTarget());
    expect(findings.slice(3)).toEqual([
      {
        check: CHECK, status: 'problem',
        message: `${arn} is already registered with Lake Formation (role arn:aws:iam::111111111111:role/OldLakeRole, hybrid access mode on) though stack acme-dev-finance-governance does not exist: `
          + 'its registration of the location will fail.',
        action: `If it is left over from an earlier deploy, deregister it (\`aws lakeformation deregister-resource --resource-arn ${arn} --region eu-west-1\`); `
          + 'the governance stack registers it again with hybrid access mode off. If someone else registered it, agree with them first.',
      },
      { check: CHECK, status: 'ok', message: '7 other data-layer bucket locations of dev are not registered yet; the governance stacks register them.' },
    ]);
  });

  test('ok: a location the existing governance stack registered', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    const arn = 'arn:aws:s3:::acme-dev-finance-raw-111111111111-eu-west-1';
    mocks.lakeFormation.on(DescribeResourceCommand, { ResourceArn: arn }).resolves({ ResourceInfo: { ResourceArn: arn, HybridAccessEnabled: false } });
    mocks.cloudFormation.on(DescribeStacksCommand, { StackName: 'acme-dev-finance-governance' })
      .resolves({ Stacks: [{ ...toolkitStack('UPDATE_COMPLETE', undefined), StackName: 'acme-dev-finance-governance' }] });
    expect((await checkLakeFormationSettings(clients, sampleTarget()))[3]).toEqual({
      check: CHECK, status: 'ok',
      message: `${arn} is registered with Lake Formation (hybrid access mode off) by the existing stack acme-dev-finance-governance: the deploy updates it.`,
    });
  });

  test('problem: settings unreadable, registrations still checked', async () => {
    const { clients, mocks } = stubClients();
    readyAccount(mocks);
    mocks.lakeFormation.on(GetDataLakeSettingsCommand).rejects(awsError('AccessDeniedException', 'Insufficient Lake Formation permission(s)', 400));
    expect(await checkLakeFormationSettings(clients, sampleTarget())).toEqual([
      {
        check: CHECK, status: 'problem',
        message: 'Could not check the Lake Formation settings of 111111111111/eu-west-1: AccessDeniedException: Insufficient Lake Formation permission(s)',
        action: 'Run preflight with credentials allowed lakeformation:GetDataLakeSettings (docs/first-deploy.md lists every action preflight calls).',
      },
      UNREGISTERED,
    ]);
  });
});

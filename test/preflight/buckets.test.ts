import { DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { checkBuckets } from '../../tools/preflight/checks/buckets';
import { parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { awsError, readyAccount, s3Forbidden, sampleTarget, stubClients } from './stubs';

const DEV = ['acme-access-logs-111111111111-eu-west-1', ...['finance', 'marketing'].flatMap((lob) => ['raw', 'standardized', 'conformed', 'enriched', 'results']
  .map((layer) => `acme-dev-${lob}-${layer}-111111111111-eu-west-1`))];
const RAW = 'acme-dev-finance-raw-111111111111-eu-west-1';
const LOGS = 'acme-access-logs-111111111111-eu-west-1';
const PROD_RAW = 'acme-prod-finance-raw-222222222222-eu-west-1';

function ready() {
  const { clients, mocks } = stubClients();
  readyAccount(mocks);
  return { clients, mocks };
}

/** HeadBucket answers 200 for `name`: the bucket is this account's. */
function exists(mocks: ReturnType<typeof ready>['mocks'], name: string, stack?: { StackName: string; ResourceStatus: string }) {
  mocks.s3.on(HeadBucketCommand, { Bucket: name }).resolves({});
  if (stack) {
    mocks.cloudFormation.on(DescribeStackResourcesCommand, { PhysicalResourceId: name }).resolves({
      StackResources: [{ ...stack, PhysicalResourceId: name, LogicalResourceId: 'Bucket', ResourceType: 'AWS::S3::Bucket', Timestamp: new Date(0), ResourceStatus: stack.ResourceStatus as 'CREATE_COMPLETE' }],
    });
  }
}

describe('bucket names', () => {
  test('ok: every name is free, checked against the environment\'s account', async () => {
    const { clients, mocks } = ready();
    expect(await checkBuckets(clients, sampleTarget())).toEqual([
      { check: 'buckets', status: 'ok', message: `11 bucket names are free (HeadBucket: 404), for the stacks to create: ${DEV.join(', ')}.` },
    ]);
    expect(mocks.s3.commandCalls(HeadBucketCommand)[1].args[0].input).toEqual({ Bucket: RAW, ExpectedBucketOwner: '111111111111' });
  });

  test('problem: a name taken by another account (403, not among this account\'s buckets)', async () => {
    const { clients, mocks } = ready();
    mocks.s3.on(HeadBucketCommand, { Bucket: RAW }).rejects(s3Forbidden());
    const findings = await checkBuckets(clients, sampleTarget());
    expect(findings[1]).toEqual({
      check: 'buckets', status: 'problem',
      message: `${RAW} belongs to another AWS account (HeadBucket: 403); bucket names are global, so dev/finance-storage cannot create it.`,
      action: 'Choose another organisation prefix in config/platform.yaml: it starts every bucket name.',
    });
    expect(findings[0].message).toMatch(/^10 bucket names are free/);
    expect(mocks.s3.commandCalls(ListBucketsCommand)[0].args[0].input).toEqual({ Prefix: RAW });
  });

  test('problem: 403 and ListBuckets refused, so the owner is unknown', async () => {
    const { clients, mocks } = ready();
    mocks.s3.on(HeadBucketCommand, { Bucket: RAW }).rejects(s3Forbidden());
    mocks.s3.on(ListBucketsCommand).rejects(awsError('AccessDenied', 'Access Denied', 403));
    expect((await checkBuckets(clients, sampleTarget()))[1]).toEqual({
      check: 'buckets', status: 'problem',
      message: `${RAW} exists, but HeadBucket (403) and ListBuckets were refused: preflight cannot tell whether it is this account's bucket or another's.`,
      action: 'Run preflight with credentials allowed s3:ListBucket and s3:ListAllMyBuckets. If another account owns it, choose another organisation prefix in config/platform.yaml: it starts every bucket name.',
    });
  });

  test('ok: this account\'s bucket in the stack that creates it (an update, not a first deploy)', async () => {
    const { clients, mocks } = ready();
    exists(mocks, RAW, { StackName: 'acme-dev-finance-storage', ResourceStatus: 'CREATE_COMPLETE' });
    expect((await checkBuckets(clients, sampleTarget()))[1]).toEqual({
      check: 'buckets', status: 'ok', message: `${RAW} exists in stack acme-dev-finance-storage: the deploy updates it in place.`,
    });
  });

  test('problem: a retained data bucket in an environment that keeps data: the stack can adopt it with --import-existing-resources', async () => {
    const { clients, mocks } = ready();
    readyAccount(mocks, sampleTarget('prod').environment);
    exists(mocks, PROD_RAW, { StackName: 'acme-prod-finance-storage', ResourceStatus: 'DELETE_SKIPPED' });
    expect((await checkBuckets(clients, sampleTarget('prod')))[1]).toEqual({
      check: 'buckets', status: 'problem',
      message: `${PROD_RAW} already exists in account 222222222222 (retained when stack acme-prod-finance-storage was deleted or rolled back): a plain deploy of prod/finance-storage fails with "${PROD_RAW} already exists". `
        + 'The stack can adopt it (fixed name, DeletionPolicy Retain).',
      action: 'To keep its data, deploy that stack once with `npx cdk deploy \'prod/finance-storage\' --import-existing-resources` (preview with --method=prepare-change-set), '
        + 'then run drift detection on acme-prod-finance-storage. It keeps its old settings, including the previous deploy\'s KMS key, until you reconcile them '
        + '(docs/first-deploy.md, "A bucket already exists"). If its data is not needed, empty it (every object version) and delete it instead.',
    });
  });

  test('problem: a leftover data bucket where data destruction is allowed cannot be adopted', async () => {
    const { clients, mocks } = ready();
    exists(mocks, RAW);
    expect((await checkBuckets(clients, sampleTarget()))[1]).toEqual({
      check: 'buckets', status: 'problem',
      message: `${RAW} already exists in account 111111111111 (no stack manages it): a plain deploy of dev/finance-storage fails with "${RAW} already exists". `
        + 'The stack cannot adopt it: CloudFormation imports only resources with DeletionPolicy Retain, and environment dev allows data destruction (DeletionPolicy Delete).',
      action: 'Copy out anything you need, empty it (every object version) and delete it, then deploy.',
    });
  });

  test('problem: the retained access-log bucket is adopted by the platform stack', async () => {
    const { clients, mocks } = ready();
    exists(mocks, LOGS);
    expect((await checkBuckets(clients, sampleTarget()))[1]).toEqual({
      check: 'buckets', status: 'problem',
      message: `${LOGS} already exists in account 111111111111 (no stack manages it): a plain deploy of dev/platform fails with "${LOGS} already exists". `
        + 'The stack can adopt it (fixed name, DeletionPolicy Retain).',
      action: 'To keep its data, deploy that stack once with `npx cdk deploy \'dev/platform\' --import-existing-resources` (preview with --method=prepare-change-set), '
        + 'then run drift detection on acme-platform. If its data is not needed, empty it (every object version) and delete it instead.',
    });
  });

  test('problem: this account\'s bucket in another stack', async () => {
    const { clients, mocks } = ready();
    exists(mocks, RAW, { StackName: 'legacy-lake', ResourceStatus: 'UPDATE_COMPLETE' });
    expect((await checkBuckets(clients, sampleTarget()))[1]).toEqual({
      check: 'buckets', status: 'problem',
      message: `${RAW} exists in this account but belongs to stack legacy-lake, not acme-dev-finance-storage: dev/finance-storage cannot create it.`,
      action: 'Take it out of stack legacy-lake (with DeletionPolicy Retain there, so the bucket stays) and run preflight again, or choose another organisation prefix in config/platform.yaml.',
    });
  });

  describe('an environment sharing the account with one that owns the access-log bucket', () => {
    function sharing() {
      const fixture = sampleFixture();
      const dev = fixture.platform.environments[0];
      fixture.platform.environments.splice(1, 0, { ...dev, name: 'test', quickSight: dev.quickSight });
      return sampleTarget('test', parseFixture(fixture));
    }

    test('problem: the log bucket does not exist yet: deploy the owner\'s platform stack first', async () => {
      const { clients } = ready();
      const target = sharing();
      expect(target.app.buckets.map((bucket) => bucket.name)).not.toContain(LOGS);
      expect((await checkBuckets(clients, target))[1]).toEqual({
        check: 'buckets', status: 'problem',
        message: `${LOGS} does not exist yet: environment dev creates it (dev/platform) and test's buckets log to it, so the storage stacks would fail.`,
        action: 'Deploy dev\'s platform stack first: `npx cdk deploy \'dev/platform\'`.',
      });
    });

    test('ok: the owner\'s platform stack holds it', async () => {
      const { clients, mocks } = ready();
      exists(mocks, LOGS, { StackName: 'acme-platform', ResourceStatus: 'CREATE_COMPLETE' });
      expect((await checkBuckets(clients, sharing()))[1]).toEqual({
        check: 'buckets', status: 'ok', message: `${LOGS} exists in stack acme-platform (environment dev); test's buckets log to it.`,
      });
    });
  });
});

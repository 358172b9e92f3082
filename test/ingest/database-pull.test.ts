/**
 * The database source: config rules (each bad input names file, field and what was expected) and
 * the pull the ingest stack deploys for an environment that has its secret and network.
 * Synthesizing the app runs the security baseline, so a cdk-nag finding fails these tests.
 */
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { durationSeconds } from '../../lib/config/database-source-schema';
import { dataBucketName, lobRoleName } from '../../lib/config/names';
import { sourceSpec } from '../../lib/ingest/database-pull';
import { type Fixture, MARKETING, configErrorOf, parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { synthesizedApp } from '../helpers/sample-app';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:crm-reader-AbCdEf';
const NETWORK = { subnetId: 'subnet-0123456789abcdef0', securityGroupIds: ['sg-0123456789abcdef0'], availabilityZone: 'eu-west-1a' };

const accountsIndex = (fixture: Fixture) => fixture.lobs[MARKETING].datasets.findIndex((d: any) => d.name === 'accounts');
const accounts = (fixture: Fixture) => fixture.lobs[MARKETING].datasets[accountsIndex(fixture)];
const database = (fixture: Fixture) => accounts(fixture).source.database;

describe('config', () => {
  test('the sample declares the CRM accounts source: table, updated_at watermark with an hour of look-back', () => {
    const lob = parseFixture(sampleFixture()).lobs.find((l) => l.name === 'marketing')!;
    const source = lob.datasets.find((d) => d.name === 'accounts')!.source!.database!;
    expect(source).toMatchObject({ jdbcUrl: 'jdbc:postgresql://crm.internal.example:5432/crm', table: 'public.accounts', watermark: { column: 'updated_at', kind: 'timestamp', lookback: 'PT1H' } });
    expect(sourceSpec('accounts', source)).toEqual({
      version: 1, dataset: 'accounts', jdbcUrl: source.jdbcUrl, table: 'public.accounts',
      incremental: { column: 'updated_at', kind: 'timestamp', lookbackSeconds: 3600 }, partitions: 4, fetchSize: 10000,
    });
  });

  test('ISO-8601 durations in seconds', () => {
    expect(durationSeconds('PT1H')).toBe(3600);
    expect(durationSeconds('P1DT30M')).toBe(86400 + 1800);
    expect(durationSeconds('PT')).toBeUndefined();
    expect(durationSeconds('1h')).toBeUndefined();
  });

  const at = (fixture: Fixture) => `datasets[${accountsIndex(fixture)}]`;
  test.each([
    ['no watermark', (f: Fixture) => { delete database(f).watermark; }, 'source.database.watermark: expected watermark: { column, kind: timestamp|increasing, lookback? }'],
    ['a JDBC scheme without a driver', (f: Fixture) => { database(f).jdbcUrl = 'jdbc:db2://crm:50000/crm'; }, 'source.database.jdbcUrl: expected a JDBC URL starting jdbc:<postgresql|mysql|sqlserver|oracle>:'],
    ['both table and query', (f: Fixture) => { database(f).query = 'SELECT * FROM accounts'; }, 'source.database: expected exactly one of table and query'],
    ['a timestamp look-back that is not a duration', (f: Fixture) => { database(f).watermark.lookback = 3600; }, 'source.database.watermark.lookback: expected an ISO-8601 duration such as PT1H'],
    ['a format the pull does not write', (f: Fixture) => { accounts(f).format = 'csv'; }, 'format: a database pull writes gzip JSON lines; expected jsonl, got csv'],
    ['a stream dataset with a source', (f: Fixture) => { accounts(f).ingest = 'stream'; }, 'ingest: a dataset with a source is pulled into raw landing/<dataset>/; expected batch, got stream'],
    ['no source kind', (f: Fixture) => { accounts(f).source = {}; }, 'source: expected exactly one of '],
    ['a secret that is not a Secrets Manager ARN', (f: Fixture) => { database(f).environments = { dev: { secretArn: 'crm-reader', network: NETWORK } }; },
      'source.database.environments.dev.secretArn: expected the ARN of a Secrets Manager secret'],
    ['a secret of another account', (f: Fixture) => { database(f).environments = { dev: { secretArn: SECRET.replace('111111111111', '999999999999'), network: NETWORK } }; },
      'source.database.environments.dev.secretArn: expected a secret in environment dev\'s account 111111111111 and region eu-west-1; got one in account 999999999999 and region eu-west-1'],
    ['an unknown environment', (f: Fixture) => { database(f).environments = { qa: { secretArn: SECRET, network: NETWORK } }; },
      'source.database.environments.qa: expected one of the environments of platform.yaml (dev, prod); got "qa"'],
    ['a bad schedule', (f: Fixture) => { database(f).schedule = 'rate(1 hour)'; }, 'source.database.schedule: expected the pull schedule as cron('],
  ])('rejects %s, naming file and field', (_what, change, expected) => {
    const fixture = sampleFixture();
    const message = configErrorOf((f) => change(f));
    expect(message).toContain(`${MARKETING}: ${at(fixture)}.${expected}`);
  });
});

describe('deployed pull (dev has the secret and network; prod has none)', () => {
  const fixture = sampleFixture();
  database(fixture).environments = { dev: { secretArn: SECRET, network: NETWORK } };
  const app = synthesizedApp(parseFixture(fixture));
  const stage = (name: string) => app.stages.find((s) => s.stageName === name)!;
  const ingest = stage('dev').lobStacks.get('marketing')!.ingest!;
  const template = Template.fromStack(ingest);
  const names = { organisation: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
  const raw = `arn:aws:s3:::${dataBucketName(names, 'marketing', 'raw')}`;

  test('a NETWORK connection in the configured subnet, security groups and zone', () => {
    template.hasResourceProperties('AWS::Glue::Connection', {
      ConnectionInput: {
        ConnectionType: 'NETWORK', Name: Match.stringLikeRegexp('accounts-pull'),
        PhysicalConnectionRequirements: { SubnetId: NETWORK.subnetId, SecurityGroupIdList: NETWORK.securityGroupIds, AvailabilityZone: NETWORK.availabilityZone },
      },
    });
  });

  test('a Glue 5.1 job through the connection, under the raw security configuration, with the pull\'s arguments', () => {
    const jobs = Object.values(template.findResources('AWS::Glue::Job')) as any[];
    expect(jobs).toHaveLength(1);
    const job = jobs[0].Properties;
    expect(job).toMatchObject({ GlueVersion: '5.1', WorkerType: 'G.1X', NumberOfWorkers: 2, MaxRetries: 0, ExecutionProperty: { MaxConcurrentRuns: 1 } });
    expect(job.Connections.Connections).toEqual([job.Name]);
    expect(job.SecurityConfiguration).toMatch(/marketing.*raw/);
    expect(job.DefaultArguments).toMatchObject({
      '--secret_id': SECRET, '--raw_location': `s3://${dataBucketName(names, 'marketing', 'raw')}/`,
      '--state_location': `s3://${dataBucketName(names, 'marketing', 'raw')}/state/database/accounts.json`,
      '--job-bookmark-option': 'job-bookmark-disable',
    });
    expect(JSON.parse(job.DefaultArguments['--source_spec'])).toMatchObject({ dataset: 'accounts', table: 'public.accounts', incremental: { column: 'updated_at', lookbackSeconds: 3600 } });
    expect(JSON.stringify(job)).not.toMatch(/password/i);
  });

  test('started on the configured schedule', () => {
    template.hasResourceProperties('AWS::Glue::Trigger', { Type: 'SCHEDULED', Schedule: 'cron(15 * * * ? *)', StartOnCreation: true, Actions: [{ JobName: Match.stringLikeRegexp('accounts-pull') }] });
  });

  test('the role reads that one secret only, writes only landing/accounts/ and its state, and uses only its connection', () => {
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p: any) => p.Properties.Description.includes('accounts database pull')) as any;
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    const secretStatements = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:')));
    expect(secretStatements).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: SECRET })]);
    expect(statements.find((s) => s.Sid === 'DecryptDatabaseSecret').Condition.StringEquals).toEqual({ 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': SECRET });
    const s3Objects = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:') && a !== 's3:ListBucket') && s.Sid !== 'ReadScripts');
    expect(s3Objects.flatMap((s) => [s.Resource].flat()).sort()).toEqual([`${raw}/landing/accounts/*`, `${raw}/state/database/accounts.json`]);
    const written = s3Objects.flatMap((s) => [s.Action].flat()).filter((a: string) => /Put|Delete/.test(a));
    expect(written.length).toBeGreaterThan(0);
    expect(statements.find((s) => s.Sid === 'UseConnection').Resource.some((r: any) => JSON.stringify(r).includes('connection/'))).toBe(true);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: lobRoleName(names, 'marketing', 'accounts-pull'),
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'glue.amazonaws.com' } })] }),
    });
  });

  test('a failed or timed-out run alerts the LoB\'s topic', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.glue'], 'detail-type': ['Glue Job State Change'], 'detail': { jobName: [Match.stringLikeRegexp('accounts-pull')], state: ['FAILED', 'TIMEOUT', 'ERROR'] } },
      Targets: [Match.objectLike({ Arn: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'FailedInvocations', Namespace: 'AWS/Events' });
  });

  test('an environment without settings deploys no pull and warns what to set', () => {
    const prodIngest = stage('prod').lobStacks.get('marketing')!.ingest!;
    expect(Template.fromStack(prodIngest).findResources('AWS::Glue::Job')).toEqual({});
    Annotations.fromStack(prodIngest).hasWarning('*', Match.stringLikeRegexp('dataset accounts: no database pull in environment prod; set datasets\\[\\].source.database.environments.prod'));
  });
});

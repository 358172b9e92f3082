/**
 * The CLI entry (scripts/preflight.ts main) with stubbed AWS clients: exit codes 0 (ready), 1 (not
 * ready) and 2 (bad arguments or config), and the report a user reads.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeResourceCommand } from '@aws-sdk/client-lakeformation';
import { DescribeGroupCommand, ResourceNotFoundException } from '@aws-sdk/client-quicksight';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { loadLakeConfig } from '../../lib/config/load-config';
import { type PreflightDependencies, main } from '../../scripts/preflight';
import { USAGE } from '../../tools/preflight/arguments';
import { SAMPLE_CONFIG_DIR } from '../helpers/sample-app';
import { CALLER, type Mocks, awsError, expectedFacts, readyAccount, stubClients } from './stubs';

const EXEC_ROLE = 'arn:aws:iam::111111111111:role/cdk-hnb659fds-cfn-exec-role-111111111111-eu-west-1';
const GROUP = 'arn:aws:quicksight:eu-west-1:111111111111:group/default/lake-bi-authors';
const FREE = ['acme-access-logs-111111111111-eu-west-1', ...['finance', 'marketing'].flatMap((lob) => ['raw', 'standardized', 'conformed', 'enriched', 'results']
  .map((layer) => `acme-dev-${lob}-${layer}-111111111111-eu-west-1`))];

async function run(argv: string[], setUp: (mocks: Mocks) => void = () => undefined, overrides: Partial<PreflightDependencies> = {}) {
  const { clients, mocks } = stubClients();
  readyAccount(mocks);
  setUp(mocks);
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    createClients: () => clients,
    appFacts: expectedFacts,
    stdout: { write: (text: string) => { stdout += text; } },
    stderr: { write: (text: string) => { stderr += text; } },
    ...overrides,
  });
  return { code, stdout, stderr, mocks };
}

const DEV = ['--env', 'dev', '--config', SAMPLE_CONFIG_DIR];

describe('npm run preflight', () => {
  test('exit 0: a ready account, every check on its own line', async () => {
    const { code, stdout, stderr } = await run(DEV);
    expect(stderr).toBe('');
    expect(stdout).toBe([
      'Lakeworks preflight: environment dev, account 111111111111, eu-west-1',
      '',
      `OK       credentials              Signed in to account 111111111111 as ${CALLER}, the account of environment dev.`,
      'OK       bootstrap                CDKToolkit in 111111111111/eu-west-1: UPDATE_COMPLETE, bootstrap version 30, qualifier hnb659fds; the templates require 6 or later.',
      'OK       lake-formation-admins    Lake Formation admin arn:aws:iam::111111111111:role/LakeAdmin exists.',
      'INFO     lake-formation-settings  No data lake administrators are set in 111111111111/eu-west-1 yet.',
      'INFO     lake-formation-settings  The deploy adds as data lake administrators: arn:aws:iam::111111111111:role/LakeAdmin; '
        + `the CDK CloudFormation execution role ${EXEC_ROLE} (it creates the lake's databases, registrations and grants).`,
      'OK       lake-formation-settings  New databases and tables get no IAMAllowedPrincipals permissions, as the platform stack sets.',
      'OK       lake-formation-settings  None of the 8 data-layer bucket locations of dev is registered with Lake Formation yet; the governance stacks register them with hybrid access mode off.',
      'OK       lambda-concurrency       Account 111111111111 in eu-west-1: concurrency limit 1000, 1000 unreserved; the dev stacks reserve no concurrency.',
      'OK       quicksight               QuickSight subscription in account 111111111111: ENTERPRISE edition, ACCOUNT_CREATED.',
      `OK       quicksight               QuickSight group ${GROUP} exists.`,
      `OK       buckets                  11 bucket names are free (HeadBucket: 404), for the stacks to create: ${FREE.join(', ')}.`,
      '',
      'Ready: no problems. Deploy with `npx cdk deploy \'dev/**\'` (docs/first-deploy.md).',
      '',
    ].join('\n'));
    expect(code).toBe(0);
  });

  test('exit 1: a QuickSight principal in config that does not exist, with the ARN and what to do', async () => {
    const { code, stdout } = await run(DEV, (mocks) => {
      mocks.quickSight.on(DescribeGroupCommand).rejects(new ResourceNotFoundException({ $metadata: { httpStatusCode: 404 }, message: 'Group not found' }));
    });
    expect(code).toBe(1);
    expect(stdout).toContain([
      `PROBLEM  quicksight               QuickSight group ${GROUP} does not exist (namespace default, identity region eu-west-1); the dashboard stacks grant it permissions, so they would fail.`,
      '                                  what to do: Either create the group (`aws quicksight create-group --aws-account-id 111111111111 --namespace default --group-name lake-bi-authors --region eu-west-1`), '
        + 'or fix quickSight.principals of environment dev in config/platform.yaml.',
    ].join('\n'));
    expect(stdout.endsWith('Not ready: 1 problem (quicksight). Fix each as its "what to do" says, then run preflight again.\n')).toBe(true);
  });

  test('exit 1: the wrong account stops before any other check reads it', async () => {
    const { code, stdout, mocks } = await run(DEV, (stubs) => {
      stubs.sts.on(GetCallerIdentityCommand).resolves({ Account: '222222222222', Arn: 'arn:aws:sts::222222222222:assumed-role/Admin/jane' });
    });
    expect(code).toBe(1);
    expect(stdout).toBe([
      'Lakeworks preflight: environment dev, account 111111111111, eu-west-1',
      '',
      'PROBLEM  credentials  Signed in to account 222222222222 as arn:aws:sts::222222222222:assumed-role/Admin/jane, but environment dev is account 111111111111 (config/platform.yaml).',
      '                      what to do: Use credentials for account 111111111111 (AWS_PROFILE, `aws sso login`, or AWS_ACCESS_KEY_ID and friends) and run preflight again.',
      'INFO     preflight    Skipped bootstrap, lake-formation-admins, lake-formation-settings, lambda-concurrency, quicksight, buckets: they need credentials for account 111111111111.',
      '',
      'Not ready: 1 problem (credentials). Fix each as its "what to do" says, then run preflight again.',
      '',
    ].join('\n'));
    for (const stub of [mocks.cloudFormation, mocks.iam, mocks.lakeFormation, mocks.lambda, mocks.quickSight, mocks.s3]) expect(stub.calls()).toHaveLength(0);
  });

  test('--json: the report as JSON on stdout, the text on stderr', async () => {
    const { code, stdout, stderr } = await run([...DEV, '--json'], (mocks) => {
      mocks.quickSight.on(DescribeGroupCommand).rejects(new ResourceNotFoundException({ $metadata: { httpStatusCode: 404 }, message: 'Group not found' }));
    });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ environment: 'dev', account: '111111111111', region: 'eu-west-1', ready: false, problems: 1 });
    expect(report.findings.filter((finding: { status: string }) => finding.status === 'problem')).toEqual([{
      check: 'quicksight', status: 'problem',
      message: `QuickSight group ${GROUP} does not exist (namespace default, identity region eu-west-1); the dashboard stacks grant it permissions, so they would fail.`,
      action: 'Either create the group (`aws quicksight create-group --aws-account-id 111111111111 --namespace default --group-name lake-bi-authors --region eu-west-1`), '
        + 'or fix quickSight.principals of environment dev in config/platform.yaml.',
    }]);
    expect(stderr).toMatch(/^Lakeworks preflight: environment dev/);
    // Nothing secret: the stub credentials appear nowhere.
    expect(`${stdout}${stderr}`).not.toMatch(/AKIDSTUB|secretAccessKey/);
  });

  test('exit 2: an unknown environment', async () => {
    const { code, stdout, stderr, mocks } = await run(['--env', 'staging', '--config', SAMPLE_CONFIG_DIR]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`unknown environment "staging"; configured: dev, prod\n${USAGE}\n`);
    expect(mocks.sts.calls()).toHaveLength(0);
  });

  test('exit 2: --env missing, or an unknown option', async () => {
    expect(await run(['--config', SAMPLE_CONFIG_DIR])).toMatchObject({ code: 2, stderr: `missing --env\n${USAGE}\n` });
    const unknown = await run([...DEV, '--region', 'us-east-1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Unknown option '--region'/);
  });

  test('exit 2: a bad config prints the config error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-config-'));
    fs.cpSync(SAMPLE_CONFIG_DIR, dir, { recursive: true });
    const platform = path.join(dir, 'platform.yaml');
    fs.writeFileSync(platform, fs.readFileSync(platform, 'utf8').replace('account: "111111111111"', 'account: "1111"'));
    let expected = '';
    try {
      loadLakeConfig(dir);
    } catch (error) {
      expected = (error as Error).message;
    }
    expect(expected).toContain('expected a 12-digit AWS account id; got "1111"');
    const { code, stdout, stderr } = await run(['--env', 'dev', '--config', dir]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`Invalid Lakeworks configuration:\n${expected}\n`);
  });

  test('exit 2: an app that does not synthesize', async () => {
    const { code, stderr } = await run(DEV, undefined, { appFacts: () => { throw new Error('Synth failed: boom'); } });
    expect(code).toBe(2);
    expect(stderr).toBe('The app does not synthesize for environment dev, so preflight cannot tell what it would deploy:\nSynth failed: boom\nRun `npx cdk synth` to see the full error.\n');
  });

  test('exit 1: a check that throws is reported as a problem, not lost', async () => {
    const { code, stdout } = await run(DEV, (mocks) => {
      const arn = 'arn:aws:s3:::acme-dev-finance-raw-111111111111-eu-west-1';
      mocks.lakeFormation.on(DescribeResourceCommand, { ResourceArn: arn }).resolves({ ResourceInfo: { ResourceArn: arn } });
      mocks.cloudFormation.on(DescribeStacksCommand, { StackName: 'acme-dev-finance-governance' }).rejects(awsError('Throttling', 'Rate exceeded'));
    });
    expect(code).toBe(1);
    expect(stdout).toContain([
      'PROBLEM  lake-formation-settings  The check failed unexpectedly: Throttling: Rate exceeded',
      '                                  what to do: Run preflight again; if it fails the same way, report it with this message.',
    ].join('\n'));
  });

  test('--help: usage, exit 0', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, stdout: `${USAGE}\n` });
  });

  test('without injected facts, the CLI synthesizes the environment itself', async () => {
    const { code, stdout } = await run(DEV, undefined, { appFacts: undefined });
    expect(stdout).toContain('the templates require 6 or later');
    expect(code).toBe(0);
  });

  test('`npm run preflight -- --help`, as README would show it, reaches the script; a bad argument exits 2 from the process', () => {
    const root = path.join(__dirname, '..', '..');
    const help = spawnSync('npm', ['run', '--silent', 'preflight', '--', '--help'], { cwd: root, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toBe(`${USAGE}\n`);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/preflight.ts', '--env', 'nope'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown environment "nope"; configured: dev, prod');
  });
});

/**
 * The commands README gives, run as a user runs them: `npx cdk synth` through the real CDK CLI
 * (cdk.json -> tsx bin/app.ts), with no AWS credentials.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAMPLE_CONFIG_DIR } from '../helpers/sample-app';

const ROOT = path.join(__dirname, '..', '..');

function cdkSynth(env: Record<string, string> = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-cli-'));
  const result = spawnSync('npx', ['cdk', 'synth', '--output', outdir], {
    cwd: ROOT,
    encoding: 'utf8',
    // No credentials and no network: synth must not need them.
    env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true', ...env },
  });
  return { ...result, outdir };
}

describe('npx cdk synth', () => {
  test('synthesizes every environment and LoB of the sample config', () => {
    const { status, stdout, stderr, outdir } = cdkSynth();
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    // cdk.json sets `quiet`: no template is dumped on the terminal of someone trying it out.
    expect(stdout).toBe('');
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    const stageIds = Object.keys(manifest.artifacts).filter((id) => manifest.artifacts[id].type === 'cdk:cloud-assembly');
    expect(stageIds.sort()).toEqual(['assembly-dev', 'assembly-prod']);
    const devStacks = fs.readdirSync(path.join(outdir, 'assembly-dev')).filter((file) => file.endsWith('.template.json'));
    expect(devStacks.sort()).toEqual(expect.arrayContaining([expect.stringMatching(/^devfinancestorage/), expect.stringMatching(/^devplatform/)]));
  });

  test('stops on an invalid config file with the file, field and expectation', () => {
    const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-config-'));
    fs.cpSync(SAMPLE_CONFIG_DIR, configDir, { recursive: true });
    const finance = path.join(configDir, 'lobs', 'finance.yaml');
    fs.writeFileSync(finance, fs.readFileSync(finance, 'utf8').replace('type: bigint', 'type: float64'));
    const { status, stderr } = cdkSynth({ LAKEWORKS_CONFIG_DIR: configDir });
    expect(status).not.toBe(0);
    expect(stderr).toContain('Invalid Lakeworks configuration:');
    expect(stderr).toMatch(/finance\.yaml: datasets\[0\]\.schema\[7\]\.type: expected one of string, int, bigint, double, decimal\(p,s\), boolean, date, timestamp; got "float64"/);
  });
});

/** Runs the pinned CDK CLI offline, as README shows it. */
function cdk(args: string[]) {
  return spawnSync('npx', ['cdk', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true', CDK_DISABLE_VERSION_CHECK: 'true' },
  });
}

describe('README\'s deploy selectors select what README says (cdk deploy needs AWS; cdk ls takes the same selectors)', () => {
  const { outdir } = cdkSynth();
  const listed = (selector: string) => {
    const { status, stdout, stderr } = cdk(['ls', '--app', outdir, selector]);
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    return stdout.trim().split('\n').map((line) => line.split(' ')[0]).sort();
  };

  test("npx cdk deploy 'dev/**': the platform stack and every LoB's stacks of dev, nothing else", () => {
    const stacks = listed('dev/**');
    expect(stacks).toContain('dev/platform');
    expect(stacks).toEqual(expect.arrayContaining(['dev/finance-storage', 'dev/finance-curation', 'dev/marketing-ingest']));
    expect(stacks.every((stack) => stack.startsWith('dev/'))).toBe(true);
  });

  test("npx cdk deploy 'dev/finance-*': the finance stacks of dev, and the platform stack they depend on", () => {
    const stacks = listed('dev/finance-*');
    expect(stacks).toEqual(['dev/platform', ...['analytics', 'catalog', 'curation', 'dashboard', 'governance', 'storage', 'transform'].map((concern) => `dev/finance-${concern}`)].sort());
  });

  test('npx cdk deploy pipeline: the delivery pipeline stack', () => {
    expect(listed('pipeline')).toEqual(['pipeline']);
  });
});

test('npx cdk bootstrap with --trust and an execution policy, as README shows it, is a valid command line', () => {
  const { status, stdout, stderr } = cdk(['bootstrap', '--show-template', 'aws://111111111111/eu-west-1', '--trust', '333333333333',
    '--cloudformation-execution-policies', 'arn:aws:iam::aws:policy/AdministratorAccess']);
  expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
  expect(stdout).toContain('TrustedAccounts');
});

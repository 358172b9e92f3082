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
  const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '--output', outdir], {
    cwd: ROOT,
    encoding: 'utf8',
    // No credentials and no network: synth must not need them.
    env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true', ...env },
  });
  return { ...result, outdir };
}

describe('npx cdk synth', () => {
  test('synthesizes every environment and LoB of the sample config', () => {
    const { status, stderr, outdir } = cdkSynth();
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
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

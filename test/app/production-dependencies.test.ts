/**
 * The app builds and synthesizes with devDependencies absent from the module graph: bin/app.ts
 * runs in a child process as the CDK CLI runs it (tsx, cdk.json's context), with
 * test/helpers/dev-dependency-guard.cjs preloaded, which makes resolving any dev-only package fail
 * (DuckDB, s3rver, fast-check, jest, ...) except the tools that run the build itself:
 * tsx, typescript, esbuild (NodejsFunction bundles in a process of its own), the aws-cdk CLI and
 * @types/*. A synth that needed one of the others would fail here, naming it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const GUARD = path.join(ROOT, 'test', 'helpers', 'dev-dependency-guard.cjs');

interface GuardReport {
  readonly blockedDevDependencies: string[];
  readonly blockedPackages: number;
  readonly allowedDevDependencies: string[];
  readonly refused: Array<{ package: string; request: string; from?: string }>;
}

function guarded(args: string[], env: Record<string, string> = {}) {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-guard-')), 'report.json');
  const result = spawnSync(process.execPath, ['-r', GUARD, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LAKEWORKS_DEV_GUARD_ROOT: ROOT, LAKEWORKS_DEV_GUARD_REPORT: report, ...env },
  });
  return { ...result, report: fs.existsSync(report) ? JSON.parse(fs.readFileSync(report, 'utf8')) as GuardReport : undefined };
}

describe('without devDependencies', () => {
  test('the sample app synthesizes, and the guard lists the devDependencies it blocked', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-prod-synth-'));
    const { context } = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8'));
    const { status, stderr, report } = guarded(['--import', 'tsx', 'bin/app.ts'], {
      CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context), AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '',
    });
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    expect(report!.refused).toEqual([]);
    expect(report!.blockedDevDependencies).toEqual(expect.arrayContaining(['@duckdb/node-api', 's3rver', 'fast-check', 'parquetjs-lite', 'snappyjs', 'jest', 'aws-sdk-client-mock']));
    expect(report!.allowedDevDependencies.filter((name) => !name.startsWith('@types/')).sort()).toEqual(['aws-cdk', 'esbuild', 'tsx', 'typescript']);
    expect(stderr).toMatch(/dev-dependency guard: blocked \d+ devDependencies \(.*@duckdb\/node-api.*fast-check.*s3rver.*\).*refused: none/);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.artifacts).filter((id) => manifest.artifacts[id].type === 'cdk:cloud-assembly').sort()).toEqual(['assembly-dev', 'assembly-prod']);
  });

  test('the guard refuses a devDependency, by require and by import, and lets the build tools through', () => {
    const script = [
      // The app's own TypeScript loads, through tsx...
      "require('./lib/config/load-config');",
      "require.resolve('esbuild'); require.resolve('typescript');",
      // ...a devDependency does not.
      "try { require('s3rver'); console.log('s3rver loaded'); } catch (error) { console.log(error.code); }",
      "import('fast-check').then(() => console.log('fast-check loaded'), (error) => console.log(error.code));",
    ].join('\n');
    const { status, stdout, report } = guarded(['--import', 'tsx', '-e', script]);
    expect({ status, stdout }).toEqual({ status: 0, stdout: 'MODULE_NOT_FOUND\nERR_MODULE_NOT_FOUND\n' });
    expect(report!.refused.map((refusal) => refusal.package).sort()).toEqual(['fast-check', 's3rver']);
  });
});

/**
 * The command as README and docs/verify.md show it, and the pieces that need no AWS: arguments checked against the
 * configuration, sample discovery and raw keys, the report table and the progress line.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadLakeConfig } from '../../lib/config/load-config';
import { SmokeUsageError, parseSmokeArguments, resolveTarget } from '../../tools/smoke/arguments';
import { progressLine } from '../../tools/smoke/progress';
import { formatReport } from '../../tools/smoke/report';
import { newRunId, rawKeyOf, sampleFiles } from '../../tools/smoke/samples';
import { datasetOfRawKey as datasetOfKey } from '../../contract/raw-layout';
import { FINANCE, parseFixture, sampleFixture } from '../helpers/config-fixtures';

const ROOT = path.join(__dirname, '..', '..');
const config = loadLakeConfig(path.join(ROOT, 'config'));
const smoke = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/smoke.ts', ...args], {
  cwd: ROOT, encoding: 'utf8', env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_PROFILE: 'lakeworks-no-such-profile' },
});

describe('npm run smoke (the command)', () => {
  test('--help prints the usage and exits 0; bad arguments exit 2 with a message and the usage, before any AWS call', () => {
    const help = smoke('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: npm run smoke -- --env <env> --lob <lob> [options]');
    expect(help.stdout).toContain('--keep');

    const cases: Array<[string[], string]> = [
      [['--env', 'nope', '--lob', 'finance'], 'unknown environment "nope"; configured: dev, prod'],
      [['--env', 'dev', '--lob', 'treasury'], 'unknown line of business "treasury"; configured: finance, marketing'],
      [['--env', 'dev'], 'missing --lob'],
      [['--env', 'dev', '--lob', 'finance', '--persona', 'auditor'], 'line of business "finance" has no persona "auditor" (personas: data-engineer, analyst, bi-reader)'],
      [['--env', 'dev', '--lob', 'finance', '--transform-timeout', 'soon'], '--transform-timeout: expected a positive number of minutes; got "soon"'],
      [['--env', 'dev', '--lob', 'finance', '--colour'], "Unknown option '--colour'"],
    ];
    for (const [args, message] of cases) {
      const result = smoke(...args);
      expect({ args, status: result.status, message: result.stderr.split('\n')[0] }).toEqual({ args, status: 2, message: expect.stringContaining(message) });
      expect(result.stderr).toContain('usage: npm run smoke');
    }
  });

  test('`npm run smoke -- --help`, as docs/verify.md shows it, reaches the script', () => {
    const result = spawnSync('npm', ['run', '--silent', 'smoke', '--', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--transform-timeout <min>');
  });

  test('a config error exits 2 with the config loader\'s message', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-smoke-config-'));
    const result = smoke('--env', 'dev', '--lob', 'finance', '--config', empty);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('platform.yaml: file not found');
  });
});

describe('arguments', () => {
  test('defaults: persona analyst, cleanup on, timeouts in minutes', () => {
    expect(parseSmokeArguments(['--env', 'dev', '--lob', 'finance'])).toEqual({
      help: false, env: 'dev', lob: 'finance', persona: undefined, keep: false,
      transformTimeoutMinutes: 10, curationTimeoutMinutes: 120, queryTimeoutMinutes: 5, samples: undefined, config: undefined,
    });
    expect(parseSmokeArguments(['--env', 'dev', '--lob', 'finance', '--keep', '--curation-timeout', '30']).curationTimeoutMinutes).toBe(30);
    expect(() => parseSmokeArguments(['--env', 'dev', '--lob', 'finance', '--query-timeout', '0'])).toThrow(SmokeUsageError);
  });

  test('resolves environment, LoB and persona from the configuration', () => {
    const target = resolveTarget(config, { env: 'prod', lob: 'marketing', persona: 'emea-analyst' });
    expect([target.organisation, target.environment.account, target.lob.name, target.persona]).toEqual(['acme', '222222222222', 'marketing', 'emea-analyst']);
  });

  test('a LoB without an analyst persona needs --persona, and the message says so', () => {
    const fixture = sampleFixture();
    fixture.lobs[FINANCE].personas = fixture.lobs[FINANCE].personas.filter((persona: { name: string }) => persona.name !== 'analyst');
    const changed = parseFixture(fixture);
    expect(() => resolveTarget(changed, { env: 'dev', lob: 'finance' })).toThrow(new SmokeUsageError(
      'line of business "finance" has no persona "analyst"; choose the workgroup\'s persona with --persona (personas: data-engineer, bi-reader)'));
    expect(resolveTarget(changed, { env: 'dev', lob: 'finance', persona: 'bi-reader' }).persona).toBe('bi-reader');
  });
});

describe('samples and raw keys', () => {
  test('every sample of the LoB, under a run-unique name the transform maps to its dataset', () => {
    const lob = config.lobs.find((l) => l.name === 'finance')!;
    const samples = sampleFiles(path.join(ROOT, 'samples', 'finance'), lob);
    expect(samples.map((s) => `${s.dataset}/${s.name}`)).toEqual(['fx_rates/2024-01.json', 'fx_rates/truncated.json', 'stock_prices/2024-01-02.csv', 'stock_prices/2024-01-03.csv.gz']);
    const runId = newRunId(new Date(Date.UTC(2026, 10, 22, 10, 15, 0, 123)), () => 'abc123');
    expect(runId).toBe('smoke-20261122t101500z-abc123');
    const key = rawKeyOf(runId, { dataset: 'stock_prices', name: 'nested/2024-01-02.csv' });
    expect(key).toBe('landing/stock_prices/smoke-20261122t101500z-abc123-nested-2024-01-02.csv');
    expect(datasetOfKey(key)).toBe('stock_prices');
    expect(() => sampleFiles(path.join(ROOT, 'samples', 'marketing'), lob)).toThrow('leads, web_events are not a dataset of finance (datasets: stock_prices, fx_rates)');
  });
});

describe('report and progress', () => {
  test('a table with one row per step and a verdict naming each failure', () => {
    const table = formatReport([
      { step: 'parameters', resource: 'ssm:/acme/dev/finance/', status: 'PASS', detail: '13 parameters' },
      { step: 'curation', resource: 'arn:aws:states:…:acme-dev-finance-curation', status: 'FAIL', detail: 'execution x ended FAILED: States.TaskFailed' },
      { step: 'named queries', resource: 'athena:acme-dev-finance-analyst', status: 'SKIP', detail: 'not run: curation failed' },
    ]);
    expect(table.split('\n')).toEqual([
      'step           resource                                    result  detail',
      '-------------  ------------------------------------------  ------  ------',
      'parameters     ssm:/acme/dev/finance/                      PASS    13 parameters',
      'curation       arn:aws:states:…:acme-dev-finance-curation  FAIL    execution x ended FAILED: States.TaskFailed',
      'named queries  athena:acme-dev-finance-analyst             SKIP    not run: curation failed',
      '',
      'FAIL: curation (arn:aws:states:…:acme-dev-finance-curation): execution x ended FAILED: States.TaskFailed',
    ]);
    expect(formatReport([{ step: 'a', resource: 'r', status: 'PASS', detail: '' }, { step: 'b', resource: 'r', status: 'SKIP', detail: 'kept' }]).split('\n').pop())
      .toBe('PASS: 1 passed, 1 skipped');
  });

  test('rewritten in place on a terminal, a line per interval in a log', () => {
    const written: string[] = [];
    const tty = progressLine({ isTTY: true, write: (text) => written.push(text) });
    tty.update('transform: 1/6');
    tty.update('transform: 2/6');
    tty.done();
    expect(written).toEqual(['\r\x1b[Ktransform: 1/6', '\r\x1b[Ktransform: 2/6', '\r\x1b[K']);
    const logged: string[] = [];
    let now = 0;
    const log = progressLine({ isTTY: false, write: (text) => logged.push(text) }, () => now, 30_000);
    for (now = 0; now <= 65_000; now += 5_000) log.update(`t=${now}`);
    log.done();
    expect(logged).toEqual(['t=0\n', 't=30000\n', 't=60000\n']);
  });
});

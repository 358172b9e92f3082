/**
 * The benchmark commands README shows, run on small inputs so they stay quick: the figures are
 * not checked here (speed targets live in the benchmarks), only that each command runs and
 * reports what README says it reports.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function npmRun(script: string, env: Record<string, string>) {
  const result = spawnSync('npm', ['run', script, '--', '--json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({ status: 0, stderr: '' });
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

test('npm run bench:scale reports synth time, stacks, resources, the largest stack and template, and the pipeline', () => {
  const figures = npmRun('bench:scale', { LAKEWORKS_SCALE_LOBS: '2', LAKEWORKS_SCALE_DATASETS: '1,3' });
  expect(figures.map((row: { datasets_per_lob: number }) => row.datasets_per_lob)).toEqual([1, 3]);
  for (const row of figures) {
    expect(row).toEqual(expect.objectContaining({
      synth_ms: expect.any(Number), stacks: expect.any(Number), resources: expect.any(Number),
      max_resources: expect.any(Number), max_template_kb: expect.any(Number), pipeline_stages: expect.any(Number),
    }));
    expect(row.max_resources).toBeLessThanOrEqual(400);
    expect(row.pipeline_stages).toBeGreaterThan(4);
  }
  expect(figures[1].resources).toBeGreaterThan(figures[0].resources);
});

test('npm run bench -- --json prints the one JSON line README describes, every figure measured', () => {
  const figures = npmRun('bench', {
    LAKEWORKS_BENCH_ROWS: '3000', LAKEWORKS_BENCH_RUNS: '1', LAKEWORKS_BENCH_LITE_RUNS: '1', LAKEWORKS_BENCH_RSS_ROWS: '1000,5000',
  });
  expect(Object.keys(figures).sort()).toEqual(['parquetjs_lite_rows_per_s', 'parse_only_rows_per_s', 'peak_rss_mb_100k', 'peak_rss_mb_1m', 'transform_rows_per_s']);
  for (const value of Object.values(figures)) expect(value).toBeGreaterThan(0);
});

test('npm run bench:largest -- --json measures the real handler per kind and size and extrapolates a limit per kind', () => {
  const figures = npmRun('bench:largest', { LAKEWORKS_LARGEST_SIZES_MB: '1,2', LAKEWORKS_LARGEST_RUNS: '1' });
  expect(figures).toMatchObject({ memory_mb: 1024, timeout_seconds: 300 });
  expect(figures.measurements.map((row: { kind: string }) => row.kind)).toEqual(['csv', 'csv', 'csv.gz', 'csv.gz', 'jsonl', 'jsonl', 'jsonl.gz', 'jsonl.gz']);
  for (const row of figures.measurements) expect(row.peak_rss_mb).toBeLessThan(1024);
  for (const limit of figures.limits) expect(limit.largest_object_mb).toBeGreaterThan(0);
}, 120_000);

test('npm run bench:partitions -- --json compares day and month partitions of the same history', () => {
  const figures = npmRun('bench:partitions', { LAKEWORKS_PARTITIONS_TICKERS: '2' });
  expect(figures.map((row: { grain: string; partitions: number }) => [row.grain, row.partitions])).toEqual([['day', 2608], ['month', 120]]);
  expect(figures[1].queries.year.files).toBe(12);
}, 60_000);

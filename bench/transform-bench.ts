/**
 * `npm run bench` (add `-- --json` for one machine-readable line).
 *
 * On the same generated input (300k stock rows as CSV, in 64 KiB chunks) it measures, in one run:
 * - transform: parse + validate + Parquet encode (outputs kept in memory, then dropped);
 * - parse-only: the CSV tokenizer alone, the work nobody can skip;
 * - parquetjs-lite: the same tokenizer feeding parquetjs-lite, the baseline library;
 * and the transform's peak RSS for 100k and 1M rows, each the median of three fresh processes
 * with streamed input.
 *
 * The code measured is bundled first exactly as Lambda's is (bench/bundle.ts): Lambda runs one
 * minified esbuild bundle in a plain Node process, not the TypeScript sources under a loader. So
 * the timing and the RSS measurements run in child processes that load only such bundles
 * (throughput-child.ts, rss-child.ts); this script, run through tsx, only starts them and prints.
 * Targets (docs/benchmarks.md): transform >= 0.5x parse-only and >= 5x parquetjs-lite; peak RSS at 1M rows
 * <= 1.25x that at 100k.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleBenchmark } from './bundle';

// The tests run this same command on small inputs through these variables (the throughput child
// reads LAKEWORKS_BENCH_ROWS, _RUNS and _LITE_RUNS); the figures in docs/benchmarks.md come from the defaults.
const ROWS = Number(process.env.LAKEWORKS_BENCH_ROWS ?? 300_000);
const RUNS = Number(process.env.LAKEWORKS_BENCH_RUNS ?? 7);
const LITE_RUNS = Number(process.env.LAKEWORKS_BENCH_LITE_RUNS ?? 3);
const [RSS_SMALL_ROWS, RSS_LARGE_ROWS] = (process.env.LAKEWORKS_BENCH_RSS_ROWS ?? '100000,1000000').split(',').map(Number);
/**
 * Fresh processes per peak-RSS figure, of which the median is taken: a run's peak depends on when
 * V8 happens to collect, and single runs of the same code moved by up to 10 MB.
 */
const RSS_RUNS = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs a bundled child script with plain Node from the repository root (it reads config/) and parses its last line. */
function runChild<T>(script: string, args: string[] = []): T {
  const output = execFileSync(process.execPath, [script, ...args], { encoding: 'utf8', cwd: path.join(__dirname, '..') });
  return JSON.parse(output.trim().split('\n').pop()!) as T;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const bundle = bundleBenchmark();
  try {
    const { transform, parse, lite } = runChild<{ transform: number; parse: number; lite: number }>(bundle.throughput);
    const peakRss = (rows: number) => median(Array.from({ length: RSS_RUNS }, () => runChild<{ peakRssMb: number }>(bundle.rss, [String(rows)]).peakRssMb));
    const rss100k = peakRss(RSS_SMALL_ROWS);
    const rss1m = peakRss(RSS_LARGE_ROWS);

    const figures = {
      transform_rows_per_s: Math.round(transform),
      parse_only_rows_per_s: Math.round(parse),
      parquetjs_lite_rows_per_s: Math.round(lite),
      peak_rss_mb_100k: Math.round(rss100k),
      peak_rss_mb_1m: Math.round(rss1m),
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(figures)}\n`);
      return;
    }
    const rows: Array<[string, string, string]> = [
      ['transform (parse + validate + Parquet)', `${figures.transform_rows_per_s.toLocaleString('en')} rows/s`, ''],
      ['parse-only baseline', `${figures.parse_only_rows_per_s.toLocaleString('en')} rows/s`, `transform / parse-only = ${(transform / parse).toFixed(2)} (target >= 0.5)`],
      ['parquetjs-lite (same parser)', `${figures.parquetjs_lite_rows_per_s.toLocaleString('en')} rows/s`, `transform / parquetjs-lite = ${(transform / lite).toFixed(1)} (target >= 5)`],
      ['peak RSS, 100k rows', `${figures.peak_rss_mb_100k} MB`, ''],
      ['peak RSS, 1M rows', `${figures.peak_rss_mb_1m} MB`, `1M / 100k = ${(rss1m / rss100k).toFixed(2)} (target <= 1.25)`],
    ];
    process.stdout.write(`Transform benchmark: ${ROWS.toLocaleString('en')} stock rows, median of ${RUNS} runs (parquetjs-lite: ${LITE_RUNS}; peak RSS: ${RSS_RUNS}), code bundled as for Lambda\n`);
    for (const [name, value, note] of rows) process.stdout.write(`${name.padEnd(42)} ${value.padStart(16)}   ${note}\n`);
  } finally {
    fs.rmSync(bundle.directory, { recursive: true, force: true });
  }
}

main().catch((error) => { process.stderr.write(`${error.stack ?? error}\n`); process.exit(1); });

/**
 * `npm run bench` (add `-- --json` for one machine-readable line).
 *
 * On the same generated input (300k stock rows as CSV, in 64 KiB chunks) it measures, in one run:
 * - transform: parse + validate + Parquet encode (outputs kept in memory, then dropped);
 * - parse-only: the CSV tokenizer alone, the work nobody can skip;
 * - parquetjs-lite: the same tokenizer feeding parquetjs-lite, the baseline library;
 * and the transform's peak RSS for 100k and 1M rows, each in a fresh process with streamed input.
 *
 * The code measured is bundled first exactly as Lambda's is (bench/bundle.ts): Lambda runs one
 * minified esbuild bundle, not the TypeScript sources compiled file by file. Each throughput is the
 * median of several runs, after one untimed warm-up run per contender; transform and parse-only
 * take turns run by run, so a slower or faster moment of a shared machine falls on both alike, and
 * parquetjs-lite runs after them.
 * Targets (README): transform >= 0.5x parse-only and >= 5x parquetjs-lite; peak RSS at 1M rows
 * <= 1.25x that at 100k.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadLakeConfig } from '../lib/config/load-config';
import { bundleContenders } from './bundle';
import { loadContenders } from './load-contenders';
import { stockCsvBuffer } from './stock-input';

// The tests run this same command on small inputs through these variables; the figures in README
// come from the defaults.
const ROWS = Number(process.env.LAKEWORKS_BENCH_ROWS ?? 300_000);
const RUNS = Number(process.env.LAKEWORKS_BENCH_RUNS ?? 7);
const LITE_RUNS = Number(process.env.LAKEWORKS_BENCH_LITE_RUNS ?? 3);
const [RSS_SMALL_ROWS, RSS_LARGE_ROWS] = (process.env.LAKEWORKS_BENCH_RSS_ROWS ?? '100000,1000000').split(',').map(Number);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Contender {
  readonly runs: number;
  readonly once: () => Promise<number>;
  readonly rates: number[];
}

/** Runs the contenders in turns (each one's run r before anyone's run r + 1); median rows/s of each. */
async function timeInTurns(contenders: Contender[]): Promise<number[]> {
  // One untimed run first, for every contender alike: the timed runs then compare compiled code,
  // not whichever function happened to be measured first while the JIT was still warming up.
  for (const contender of contenders) await contender.once();
  const rounds = Math.max(...contenders.map((contender) => contender.runs));
  for (let round = 0; round < rounds; round++) {
    for (const contender of contenders) {
      if (round >= contender.runs) continue;
      const start = process.hrtime.bigint();
      const rows = await contender.once();
      contender.rates.push(rows / (Number(process.hrtime.bigint() - start) / 1e9));
    }
  }
  return contenders.map((contender) => median(contender.rates));
}

function peakRssMb(bundle: string, rows: number): number {
  const child = path.join(__dirname, 'rss-child.ts');
  const output = execFileSync(process.execPath, ['--import', 'tsx', child, bundle, String(rows)], { encoding: 'utf8', cwd: path.join(__dirname, '..') });
  return JSON.parse(output.trim().split('\n').pop()!).peakRssMb;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const bundle = bundleContenders();
  try {
    const contenders = loadContenders(bundle);
    const finance = loadLakeConfig().lobs.find((lob) => lob.name === 'finance')!;
    const dataset = contenders.compileDataset(finance.datasets.find((d) => d.name === 'stock_prices')!);
    const input = stockCsvBuffer(ROWS);

    const [transform, parse] = await timeInTurns([
      { runs: RUNS, once: () => contenders.transformRows(input, dataset), rates: [] },
      { runs: RUNS, once: () => contenders.parseOnlyRows(input), rates: [] },
    ]);
    // parquetjs-lite last: it leaves by far the most garbage, which must not be collected on
    // another contender's time.
    const [lite] = await timeInTurns([{ runs: LITE_RUNS, once: () => contenders.parquetjsLiteRows(input), rates: [] }]);
    const rss100k = peakRssMb(bundle, RSS_SMALL_ROWS);
    const rss1m = peakRssMb(bundle, RSS_LARGE_ROWS);

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
    process.stdout.write(`Transform benchmark: ${ROWS.toLocaleString('en')} stock rows, median of ${RUNS} runs (parquetjs-lite: ${LITE_RUNS}), code bundled as for Lambda\n`);
    for (const [name, value, note] of rows) process.stdout.write(`${name.padEnd(42)} ${value.padStart(16)}   ${note}\n`);
  } finally {
    fs.rmSync(path.dirname(bundle), { recursive: true, force: true });
  }
}

main().catch((error) => { process.stderr.write(`${error.stack ?? error}\n`); process.exit(1); });

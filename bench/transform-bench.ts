/**
 * `npm run bench` (add `-- --json` for one machine-readable line).
 *
 * On the same generated input (300k stock rows as CSV, in 64 KiB chunks) it measures, in one run:
 * - transform: parse + validate + Parquet encode (outputs kept in memory, then dropped);
 * - parse-only: the CSV tokenizer alone, the work nobody can skip;
 * - parquetjs-lite: the same tokenizer feeding parquetjs-lite, the baseline library;
 * and the transform's peak RSS for 100k and 1M rows, each in a fresh process with streamed input.
 * Each throughput is the median of several runs, after one untimed warm-up run. Targets (README): transform >= 0.5x parse-only and
 * >= 5x parquetjs-lite; peak RSS at 1M rows <= 1.25x that at 100k.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { PassThrough } from 'node:stream';
import { loadLakeConfig } from '../lib/config/load-config';
import { compileDataset } from '../lambda/transform/compiled-dataset';
import { CsvTokenizer } from '../lambda/transform/csv-tokenizer';
import { transformObject } from '../lambda/transform/transform-object';
import { chunked, stockCsvBuffer } from './stock-input';

// The tests run this same command on small inputs through these variables; the figures in README
// come from the defaults.
const ROWS = Number(process.env.LAKEWORKS_BENCH_ROWS ?? 300_000);
const RUNS = Number(process.env.LAKEWORKS_BENCH_RUNS ?? 5);
const LITE_RUNS = Number(process.env.LAKEWORKS_BENCH_LITE_RUNS ?? 3);
const [RSS_SMALL_ROWS, RSS_LARGE_ROWS] = (process.env.LAKEWORKS_BENCH_RSS_ROWS ?? '100000,1000000').split(',').map(Number);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeRowsPerSecond(runs: number, once: () => Promise<number>): Promise<number> {
  // One untimed run first, for every contender alike: the timed runs then compare compiled code,
  // not whichever function happened to be measured first while the JIT was still warming up.
  await once();
  const rates: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    const rows = await once();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(rows / seconds);
  }
  return median(rates);
}

async function parseOnly(input: Buffer): Promise<number> {
  const tokenizer = new CsvTokenizer();
  const decoder = new StringDecoder('utf8');
  let records = 0;
  const count = () => { records++; };
  for await (const chunk of chunked(input)) tokenizer.push(decoder.write(chunk as Buffer), false, count);
  tokenizer.push(decoder.end(), true, count);
  return records - 1; // the header
}

async function parquetjsLite(input: Buffer): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const parquet = require('parquetjs-lite');
  const schema = new parquet.ParquetSchema({
    ticker: { type: 'UTF8' }, date: { type: 'DATE' },
    open: { type: 'DOUBLE', optional: true }, high: { type: 'DOUBLE', optional: true }, low: { type: 'DOUBLE', optional: true },
    close: { type: 'DOUBLE' }, adj_close: { type: 'DOUBLE', optional: true }, volume: { type: 'INT64', optional: true },
  });
  const sink = new PassThrough();
  sink.resume();
  const writer = await parquet.ParquetWriter.openStream(schema, sink, { compression: 'SNAPPY' });
  const tokenizer = new CsvTokenizer();
  const decoder = new StringDecoder('utf8');
  let rows = 0;
  let header = true;
  const parsed: string[][] = [];
  const onRecord = (record: { fields?: string[] }) => {
    if (header) { header = false; return; }
    parsed.push(record.fields!);
  };
  // appendRow awaited row by row, as parquetjs-lite documents it.
  const appendParsed = async () => {
    for (const f of parsed.splice(0)) {
      rows++;
      await writer.appendRow({
        ticker: f[0], date: new Date(f[1]), open: Number(f[2]), high: Number(f[3]), low: Number(f[4]), close: Number(f[5]), adj_close: Number(f[6]), volume: Number(f[7]),
      });
    }
  };
  for await (const chunk of chunked(input)) {
    tokenizer.push(decoder.write(chunk as Buffer), false, onRecord);
    await appendParsed();
  }
  tokenizer.push(decoder.end(), true, onRecord);
  await appendParsed();
  await writer.close();
  return rows;
}

function peakRssMb(rows: number): number {
  const child = path.join(__dirname, 'rss-child.ts');
  const output = execFileSync(process.execPath, ['--import', 'tsx', child, String(rows)], { encoding: 'utf8', cwd: path.join(__dirname, '..') });
  return JSON.parse(output.trim().split('\n').pop()!).peakRssMb;
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const finance = loadLakeConfig().lobs.find((lob) => lob.name === 'finance')!;
  const dataset = compileDataset(finance.datasets.find((d) => d.name === 'stock_prices')!);
  const input = stockCsvBuffer(ROWS);
  const discard = { put: async () => undefined, remove: async () => undefined };

  const transform = await timeRowsPerSecond(RUNS, async () =>
    (await transformObject({ bucket: 'bench', key: 'landing/stock_prices/bench.csv', version: '1' }, chunked(input), dataset, discard)).written);
  const parse = await timeRowsPerSecond(RUNS, () => parseOnly(input));
  const lite = await timeRowsPerSecond(LITE_RUNS, () => parquetjsLite(input));
  const rss100k = peakRssMb(RSS_SMALL_ROWS);
  const rss1m = peakRssMb(RSS_LARGE_ROWS);

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
  process.stdout.write(`Transform benchmark: ${ROWS.toLocaleString('en')} stock rows, median of ${RUNS} runs (parquetjs-lite: ${LITE_RUNS})\n`);
  for (const [name, value, note] of rows) process.stdout.write(`${name.padEnd(42)} ${value.padStart(16)}   ${note}\n`);
}

main().catch((error) => { process.stderr.write(`${error.stack ?? error}\n`); process.exit(1); });

/**
 * `npm run bench:partitions` (add `-- --json` for one machine-readable line): what a dataset's
 * partition grain costs, day against month. Ten years of weekday history (2014-2023) of the sample's
 * stock prices, for 5 and for 500 tickers, through the transform (transformObject, outputs kept in
 * memory) once partitioned by `date` and once by `{ column: date, granularity: month, as:
 * trade_month }`. Per grain: the partitions and files written, their bytes, and for a query of one
 * day, one month and one year, the files Athena opens and the bytes of the partitions it selects
 * (what it scans at most, before reading only the columns a query names; it bills at least 10 MB a
 * query).
 */
import { Readable } from 'node:stream';
import { compileDataset } from '../lambda/transform/compiled-dataset';
import type { OutputFile } from '../lambda/transform/partitioned-writer';
import { transformObject } from '../lambda/transform/transform-object';
import { loadLakeConfig } from '../lib/config/load-config';

const TICKER_COUNTS = (process.env.LAKEWORKS_PARTITIONS_TICKERS ?? '5,500').split(',').map(Number);
const MB = 1024 * 1024;
/** The queries' filters: a day, its month and its year, all inside the history. */
const QUERIES = { day: (date: string) => date === '2019-06-14', month: (date: string) => date.startsWith('2019-06'), year: (date: string) => date.startsWith('2019') };

function historyCsv(tickers: number): Buffer {
  const lines = ['ticker,date,open,high,low,close,adj_close,volume'];
  for (let time = Date.UTC(2014, 0, 1); time < Date.UTC(2024, 0, 1); time += 86_400_000) {
    const date = new Date(time);
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    const day = date.toISOString().slice(0, 10);
    for (let t = 0; t < tickers; t++) {
      const price = (100 + ((time / 86_400_000 + t * 37) % 500) / 10).toFixed(2);
      lines.push(`T${t},${day},${price},${price},${price},${price},${price},${1000 + t}`);
    }
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const finance = loadLakeConfig().lobs.find((lob) => lob.name === 'finance')!;
  const stock = finance.datasets.find((dataset) => dataset.name === 'stock_prices')!;
  const grains = {
    day: compileDataset({ ...stock, partitionColumns: ['date'] }),
    month: compileDataset({ ...stock, partitionColumns: [{ column: 'date', granularity: 'month', as: 'trade_month' }] }),
  };
  const results = [];
  for (const tickers of TICKER_COUNTS) {
    const input = historyCsv(tickers);
    for (const [grain, dataset] of Object.entries(grains)) {
      const files: Array<{ partition: string; bytes: number }> = [];
      const store = { put: async (file: OutputFile) => { if (file.key.endsWith('.parquet')) files.push({ partition: file.key.split('/')[1].split('=')[1], bytes: file.body.length }); }, get: async () => undefined, remove: async () => undefined };
      const started = process.hrtime.bigint();
      await transformObject({ bucket: 'bench', key: 'landing/stock_prices/history.csv', version: '1' }, Readable.from([input]), dataset, store, { ingestedAt: new Date() });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
      // A partition is selected when the filter can hold for some day in it: a month partition for any of its days.
      const selected = (filter: (date: string) => boolean) => files.filter((file) => (grain === 'day' ? filter(file.partition) : Array.from({ length: 31 }, (_, d) => `${file.partition}-${String(d + 1).padStart(2, '0')}`).some(filter)));
      const queries = Object.fromEntries(Object.entries(QUERIES).map(([name, filter]) => {
        const read = selected(filter);
        return [name, { files: read.length, mb: Math.round((read.reduce((sum, file) => sum + file.bytes, 0) / MB) * 1000) / 1000 }];
      }));
      results.push({ tickers, grain, input_mb: Math.round((input.length / MB) * 10) / 10, partitions: new Set(files.map((file) => file.partition)).size, files: files.length,
        total_mb: Math.round((bytes / MB) * 100) / 100, mean_file_kb: Math.round((bytes / files.length / 1024) * 10) / 10, transform_ms: Math.round(ms), queries });
    }
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return;
  }
  process.stdout.write('Partition grain: ten years of weekday stock prices, one object, day against month\n\n');
  for (const row of results) {
    const q = row.queries as Record<string, { files: number; mb: number }>;
    process.stdout.write(`${String(row.tickers).padStart(4)} tickers, ${row.grain.padEnd(5)}: ${row.partitions} partitions, ${row.files} files, ${row.total_mb} MB (mean ${row.mean_file_kb} KB), ${row.transform_ms} ms; `
      + `query of a day ${q.day.files} files ${q.day.mb} MB, a month ${q.month.files} files ${q.month.mb} MB, a year ${q.year.files} files ${q.year.mb} MB\n`);
  }
}

main().catch((error) => { process.stderr.write(`${error.stack ?? error}\n`); process.exit(1); });

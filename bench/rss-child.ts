/**
 * Child process of the benchmark: transforms N generated stock rows (streamed, never held whole)
 * with output bodies discarded, then prints its peak resident set size in MB.
 */
import { loadLakeConfig } from '../lib/config/load-config';
import { compileDataset } from '../lambda/transform/compiled-dataset';
import { transformObject } from '../lambda/transform/transform-object';
import { stockCsvStream } from './stock-input';

async function main(): Promise<void> {
  const rows = Number(process.argv[2]);
  const finance = loadLakeConfig().lobs.find((lob) => lob.name === 'finance')!;
  const dataset = compileDataset(finance.datasets.find((d) => d.name === 'stock_prices')!);
  const result = await transformObject({ bucket: 'bench', key: 'landing/stock_prices/bench.csv', version: '1' }, stockCsvStream(rows), dataset,
    { put: async () => undefined, remove: async () => undefined });
  if (result.read !== rows || result.written !== rows) throw new Error(`expected ${rows} rows, got ${JSON.stringify(result)}`);
  process.stdout.write(`${JSON.stringify({ rows, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

main().catch((error) => { process.stderr.write(`${error}\n`); process.exit(1); });

/**
 * Child process of the benchmark, bundled like throughput-child.ts and run in a plain Node
 * process: transforms N generated stock rows (argument 1; streamed, never held whole) with output
 * bodies discarded, then prints its peak resident set size in MB.
 */
import { loadLakeConfig } from '../lib/config/load-config';
import { compileDataset } from '../lambda/transform/compiled-dataset';
import { transformRows } from './contenders';
import { stockCsvStream } from './stock-input';

async function main(): Promise<void> {
  const rows = Number(process.argv[2]);
  const finance = loadLakeConfig().lobs.find((lob) => lob.name === 'finance')!;
  const dataset = compileDataset(finance.datasets.find((d) => d.name === 'stock_prices')!);
  const written = await transformRows(stockCsvStream(rows), dataset);
  if (written !== rows) throw new Error(`expected ${rows} rows, got ${written}`);
  process.stdout.write(`${JSON.stringify({ rows, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

main().catch((error) => { process.stderr.write(`${error}\n`); process.exit(1); });

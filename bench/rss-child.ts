/**
 * Child process of the benchmark, bundled like throughput-child.ts and run in a plain Node
 * process: transforms N generated stock rows (argument 1; streamed, never held whole) with output
 * bodies discarded, then prints its peak resident set size in MB.
 */
import { stockPricesDataset, transformRows } from './contenders';
import { stockCsvStream } from './stock-input';

async function main(): Promise<void> {
  const rows = Number(process.argv[2]);
  const dataset = stockPricesDataset();
  const written = await transformRows(stockCsvStream(rows), dataset);
  if (written !== rows) throw new Error(`expected ${rows} rows, got ${written}`);
  process.stdout.write(`${JSON.stringify({ rows, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

main().catch((error) => { process.stderr.write(`${error}\n`); process.exit(1); });

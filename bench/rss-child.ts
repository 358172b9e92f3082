/**
 * Child process of the benchmark: transforms N generated stock rows (streamed, never held whole)
 * with the bundled transform (argument 1: the bundle bench/bundle.ts wrote) and output bodies
 * discarded, then prints its peak resident set size in MB.
 */
import { loadLakeConfig } from '../lib/config/load-config';
import { loadContenders } from './load-contenders';
import { stockCsvStream } from './stock-input';

async function main(): Promise<void> {
  const [bundle, rowsArgument] = process.argv.slice(2);
  const rows = Number(rowsArgument);
  const contenders = loadContenders(bundle);
  const finance = loadLakeConfig().lobs.find((lob) => lob.name === 'finance')!;
  const dataset = contenders.compileDataset(finance.datasets.find((d) => d.name === 'stock_prices')!);
  const written = await contenders.transformRows(stockCsvStream(rows), dataset);
  if (written !== rows) throw new Error(`expected ${rows} rows, got ${written}`);
  process.stdout.write(`${JSON.stringify({ rows, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

main().catch((error) => { process.stderr.write(`${error}\n`); process.exit(1); });

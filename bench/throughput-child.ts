/**
 * Child process of the benchmark: times the three contenders on the same generated input and
 * prints one JSON line of their median rows/s. bench/bundle.ts bundles it with the Lambda's own
 * bundling options and it runs in a plain Node process, as Lambda runs the transform: no
 * TypeScript loader, no benchmark harness sharing its heap or its threads.
 *
 * Each throughput is the median of several runs, after one untimed warm-up run per contender;
 * transform and parse-only take turns run by run, so a slower or faster moment of a shared machine
 * falls on both alike, and parquetjs-lite runs after them.
 */
import { loadLakeConfig } from '../lib/config/load-config';
import { compileDataset } from '../lambda/transform/compiled-dataset';
import { parquetjsLiteRows, parseOnlyRows, transformRows } from './contenders';
import { stockCsvBuffer } from './stock-input';

// The tests run the benchmark on small inputs through these variables; the figures in README
// come from the defaults.
const ROWS = Number(process.env.LAKEWORKS_BENCH_ROWS ?? 300_000);
const RUNS = Number(process.env.LAKEWORKS_BENCH_RUNS ?? 7);
const LITE_RUNS = Number(process.env.LAKEWORKS_BENCH_LITE_RUNS ?? 3);

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

async function main(): Promise<void> {
  const finance = loadLakeConfig().lobs.find((lob) => lob.name === 'finance')!;
  const dataset = compileDataset(finance.datasets.find((d) => d.name === 'stock_prices')!);
  const input = stockCsvBuffer(ROWS);
  const [transform, parse] = await timeInTurns([
    { runs: RUNS, once: () => transformRows(input, dataset), rates: [] },
    { runs: RUNS, once: () => parseOnlyRows(input), rates: [] },
  ]);
  // parquetjs-lite last: it leaves by far the most garbage, which must not be collected on
  // another contender's time.
  const [lite] = await timeInTurns([{ runs: LITE_RUNS, once: () => parquetjsLiteRows(input), rates: [] }]);
  process.stdout.write(`${JSON.stringify({ transform, parse, lite })}\n`);
}

main().catch((error) => { process.stderr.write(`${error.stack ?? error}\n`); process.exit(1); });

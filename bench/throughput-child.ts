/**
 * Child process of the benchmark: times the three contenders on the same generated input and
 * prints one JSON line of their median rows/s. bench/bundle.ts bundles it with the Lambda's own
 * bundling options and it runs in a plain Node process, as Lambda runs the transform: no
 * TypeScript loader, no benchmark harness sharing its heap or its threads.
 *
 * Each throughput is the median of several runs, after untimed warm-up runs; transform and
 * parse-only take turns run by run, warm-up runs included, so a slower or faster moment of a shared
 * machine falls on both alike, and parquetjs-lite runs after them.
 */
import { parquetjsLiteRows, parseOnlyRows, stockPricesDataset, transformRows } from './contenders';
import { stockCsvBuffer } from './stock-input';

// The tests run the benchmark on small inputs through these variables; the figures in docs/benchmarks.md
// come from the defaults.
const ROWS = Number(process.env.LAKEWORKS_BENCH_ROWS ?? 300_000);
const RUNS = Number(process.env.LAKEWORKS_BENCH_RUNS ?? 7);
const LITE_RUNS = Number(process.env.LAKEWORKS_BENCH_LITE_RUNS ?? 3);

/**
 * Warm-up rounds of transform and parse-only. They share the tokenizer, each with its own record
 * handler, so V8 re-optimizes the tokenizer and the transform's sink a few times before their type
 * feedback settles: after a single warm-up round, the next two or three transform runs were 10 to
 * 15% slower than the rest (V8's --trace-deopt shows those re-optimizations, "wrong map", during
 * them). Three rounds reach the steady state a warm Lambda container runs in. parquetjs-lite takes
 * seconds a run and settles in one.
 */
const WARMUP_ROUNDS = 3;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Contender {
  readonly runs: number;
  readonly once: () => Promise<number>;
  readonly rates: number[];
}

/**
 * Runs the contenders in turns (each one's run r before anyone's run r + 1), the first
 * `warmupRounds` rounds untimed; median rows/s of each.
 */
async function timeInTurns(contenders: Contender[], warmupRounds: number): Promise<number[]> {
  // Untimed rounds first, for every contender alike: the timed runs then compare compiled code,
  // not whichever function happened to be measured first while the JIT was still warming up.
  for (let round = 0; round < warmupRounds; round++) {
    for (const contender of contenders) await contender.once();
  }
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
  const dataset = stockPricesDataset();
  const input = stockCsvBuffer(ROWS);
  const [transform, parse] = await timeInTurns([
    { runs: RUNS, once: () => transformRows(input, dataset), rates: [] },
    { runs: RUNS, once: () => parseOnlyRows(input), rates: [] },
  ], WARMUP_ROUNDS);
  // parquetjs-lite last: it leaves by far the most garbage, which must not be collected on
  // another contender's time.
  const [lite] = await timeInTurns([{ runs: LITE_RUNS, once: () => parquetjsLiteRows(input), rates: [] }], 1);
  process.stdout.write(`${JSON.stringify({ transform, parse, lite })}\n`);
}

main().catch((error) => { process.stderr.write(`${error.stack ?? error}\n`); process.exit(1); });

/**
 * `npm run bench:largest` (add `-- --json` for one machine-readable line): the largest raw object
 * one transform invocation handles within the LoB's memory and timeout (config defaults:
 * transform.memoryMb 1024, transform.timeoutSeconds 300).
 *
 * For CSV and JSON lines, plain and gzip, it uploads generated stock rows of growing sizes to an
 * embedded S3 endpoint and runs the real handler on each, bundled as Lambda's code is, in a fresh
 * child process (largest-child.ts) whose V8 heap is capped at the function's memory. Per object:
 * the invocation's time and the process's peak RSS, the median of several runs. The rate between
 * the two largest sizes (milliseconds per stored MB, without the invocation's fixed start) gives the
 * largest object per kind: the stored MB one full vCPU transforms per second, times the vCPU share
 * Lambda gives the memory (contract/object-size-limit.ts), times the timeout. It checks that the
 * time is linear in size (the two smaller sizes predict the largest one's) and that peak RSS stays
 * below the memory.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { LAMBDA_MB_PER_VCPU } from '../contract/object-size-limit';
import { toEnvironment, transformSettingsOf } from '../contract/transform-settings';
import { loadLakeConfig } from '../lib/config/load-config';
import { startEmbeddedS3 } from '../tools/local/embedded-lake';
import { bundleScripts } from './bundle';
import { STOCK_HEADER, stockCsvStream } from './stock-input';

// The tests run this same command on small sizes through these variables; the figures in
// docs/benchmarks.md come from the defaults.
const SIZES_MB = (process.env.LAKEWORKS_LARGEST_SIZES_MB ?? '8,32,128').split(',').map(Number);
const RUNS = Number(process.env.LAKEWORKS_LARGEST_RUNS ?? 3);
const RAW = 'bench-raw';
const STANDARDIZED = 'bench-standardized';
const MB = 1024 * 1024;
/** Bytes of a generated CSV row, near enough to size the inputs (bench/stock-input.ts). */
const CSV_ROW_BYTES = 56;

const runChild = promisify(execFile);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Kind { readonly name: string; readonly dataset: string; readonly jsonLines: boolean; readonly gzip: boolean }
const KINDS: readonly Kind[] = [
  { name: 'csv', dataset: 'stock_prices', jsonLines: false, gzip: false },
  { name: 'csv.gz', dataset: 'stock_prices', jsonLines: false, gzip: true },
  { name: 'jsonl', dataset: 'stock_prices_jsonl', jsonLines: true, gzip: false },
  { name: 'jsonl.gz', dataset: 'stock_prices_jsonl', jsonLines: true, gzip: true },
];

/** CSV lines to JSON lines of the same values, as a feed sending JSON would. */
function csvToJsonLines(): Transform {
  const names = STOCK_HEADER.split(',');
  let rest = '';
  let header = true;
  const convert = (line: string) => {
    if (header) { header = false; return ''; }
    const values = line.split(',');
    return `{${names.map((name, index) => (index < 2 ? `"${name}":"${values[index]}"` : `"${name}":${values[index]}`)).join(',')}}\n`;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const lines = (rest + chunk.toString('latin1')).split('\n');
      rest = lines.pop()!;
      done(null, lines.map(convert).join(''));
    },
    flush(done) { done(null, rest ? convert(rest) : ''); },
  });
}

/** Writes the object of `kind` holding the rows of a CSV of about `sizeMb` to a file; returns its path. */
async function generate(kind: Kind, sizeMb: number, dir: string): Promise<string> {
  const file = path.join(dir, `${kind.name}-${sizeMb}`);
  const stages: NodeJS.ReadWriteStream[] = [];
  if (kind.jsonLines) stages.push(csvToJsonLines());
  if (kind.gzip) stages.push(createGzip());
  await pipeline(stockCsvStream(Math.round((sizeMb * MB) / CSV_ROW_BYTES)), ...stages as [NodeJS.ReadWriteStream], fs.createWriteStream(file));
  return file;
}

interface Measurement { kind: string; stored_mb: number; ms: number; peak_rss_mb: number; ms_per_mb: number }

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const config = loadLakeConfig();
  const finance = config.lobs.find((lob) => lob.name === 'finance')!;
  const { memoryMb, timeoutSeconds } = finance.transform;
  const stock = finance.datasets.find((dataset) => dataset.name === 'stock_prices')!;
  // The same rows as JSON lines: a dataset of the same schema in format jsonl.
  const { csv: _csv, source: _source, ...columns } = stock;
  const datasets = [stock, { ...columns, name: 'stock_prices_jsonl', format: 'jsonl' as const }];
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-largest-'));
  const bundle = bundleScripts({ child: path.join(__dirname, 'largest-child.ts') });
  const lake = await startEmbeddedS3({ directory: path.join(work, 's3'), region: 'eu-west-1', buckets: [RAW, STANDARDIZED] });
  const environment = {
    ...process.env,
    // s3rver accepts any credentials.
    AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', LAKEWORKS_BENCH_MEMORY_MB: String(memoryMb),
    // No size limit: the benchmark measures what the limit is derived from.
    ...toEnvironment(transformSettingsOf({ ...finance, datasets }, STANDARDIZED, {
      s3Endpoint: lake.endpoint, powertools: { logLevel: 'SILENT', metricsDisabled: true }, objectSizeLimit: { plainMb: 5 * MB, gzipMb: 5 * MB, parquetMb: 5 * MB },
    })),
  };
  const measurements: Measurement[] = [];
  try {
    for (const kind of KINDS) {
      for (const sizeMb of SIZES_MB) {
        const file = await generate(kind, sizeMb, work);
        const key = `landing/${kind.dataset}/bench-${sizeMb}.${kind.name}`;
        const bytes = fs.statSync(file).size;
        // Whole, not streamed: the SDK sends a stream aws-chunked, which s3rver would store framing and all.
        await lake.s3.send(new PutObjectCommand({ Bucket: RAW, Key: key, Body: fs.readFileSync(file) }));
        fs.rmSync(file);
        const head = await lake.s3.send(new HeadObjectCommand({ Bucket: RAW, Key: key }));
        const fields = JSON.stringify({ bucket: RAW, key, size: bytes, etag: head.ETag, versionId: head.VersionId, time: new Date().toISOString() });
        const runs: Array<{ ms: number; peakRssMb: number }> = [];
        for (let run = 0; run < RUNS; run++) {
          // Asynchronously: the endpoint the child reads from runs in this process. The heap is
          // capped at the function's memory, as Lambda's Node runtime caps it.
          const { stdout, stderr } = await runChild(process.execPath, [`--max-old-space-size=${memoryMb}`, path.join(bundle, 'child.js'), fields], { encoding: 'utf8', env: environment, cwd: path.join(__dirname, '..') });
          const result = JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number; peakRssMb: number; failed: boolean };
          if (result.failed) throw new Error(`${key}: the transform failed:\n${stdout}${stderr}`);
          runs.push(result);
        }
        const ms = median(runs.map((run) => run.ms));
        const storedMb = bytes / MB;
        measurements.push({ kind: kind.name, stored_mb: Math.round(storedMb * 10) / 10, ms: Math.round(ms), peak_rss_mb: Math.round(median(runs.map((run) => run.peakRssMb))), ms_per_mb: Math.round((ms / storedMb) * 10) / 10 });
      }
    }
  } finally {
    await lake.stop();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(bundle, { recursive: true, force: true });
  }

  const vcpu = Math.min(1, memoryMb / LAMBDA_MB_PER_VCPU);
  /** Milliseconds per stored MB between two measurements: the marginal rate, without the invocation's fixed start. */
  const slope = (a: Measurement, b: Measurement) => (b.ms - a.ms) / (b.stored_mb - a.stored_mb);
  const limits = KINDS.map((kind) => {
    const rows = measurements.filter((row) => row.kind === kind.name);
    const [largest, previous, before] = [rows[rows.length - 1], rows[rows.length - 2], rows[rows.length - 3]];
    const msPerMb = previous ? slope(previous, largest) : largest.ms / largest.stored_mb;
    // The check of a linear extrapolation: the two sizes below the largest predict its time.
    const predicted = before ? previous.ms + slope(before, previous) * (largest.stored_mb - previous.stored_mb) : undefined;
    const mbPerVcpuSecond = 1000 / msPerMb;
    return {
      kind: kind.name,
      mb_per_vcpu_second: Math.round(mbPerVcpuSecond * 10) / 10,
      predicted_ms_largest: predicted === undefined ? undefined : Math.round(predicted),
      measured_ms_largest: largest.ms,
      peak_rss_mb_max: Math.max(...rows.map((row) => row.peak_rss_mb)),
      largest_object_mb: Math.floor(mbPerVcpuSecond * vcpu * timeoutSeconds),
    };
  });
  if (json) {
    process.stdout.write(`${JSON.stringify({ memory_mb: memoryMb, timeout_seconds: timeoutSeconds, vcpu: Math.round(vcpu * 1000) / 1000, measurements, limits })}\n`);
    return;
  }
  process.stdout.write(`Largest object: real handler per object, fresh process, heap capped at ${memoryMb} MB, median of ${RUNS} runs\n\n`);
  process.stdout.write(`${'kind'.padEnd(9)} ${'stored MB'.padStart(10)} ${'ms'.padStart(8)} ${'ms/MB'.padStart(7)} ${'peak RSS MB'.padStart(12)}\n`);
  for (const row of measurements) {
    process.stdout.write(`${row.kind.padEnd(9)} ${String(row.stored_mb).padStart(10)} ${String(row.ms).padStart(8)} ${String(row.ms_per_mb).padStart(7)} ${String(row.peak_rss_mb).padStart(12)}\n`);
  }
  process.stdout.write(`\nExtrapolated to ${memoryMb} MB (${(vcpu * 100).toFixed(0)}% of a vCPU) and ${timeoutSeconds} s, the whole timeout for one object:\n`);
  for (const limit of limits) {
    const check = limit.predicted_ms_largest === undefined ? '' : `; largest size: ${limit.predicted_ms_largest} ms predicted by the smaller ones, ${limit.measured_ms_largest} ms measured`;
    const memory = limit.peak_rss_mb_max < memoryMb ? `peak RSS ${limit.peak_rss_mb_max} MB < ${memoryMb} MB` : `peak RSS ${limit.peak_rss_mb_max} MB OVER ${memoryMb} MB`;
    process.stdout.write(`${limit.kind.padEnd(9)} ${String(limit.mb_per_vcpu_second).padStart(6)} MB/s per vCPU -> ${limit.largest_object_mb.toLocaleString('en')} MB stored (${memory}${check})\n`);
  }
}

main().catch((error) => { process.stderr.write(`${error.stack ?? error}\n`); process.exit(1); });

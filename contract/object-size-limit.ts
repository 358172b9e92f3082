/**
 * The largest raw object one transform invocation handles within its memory and timeout, derived
 * at synth from the LoB's `transform.memoryMb` and `transform.timeoutSeconds`. Memory is not what
 * binds: the transform streams, and its peak RSS stays flat as objects grow. Time is: Lambda gives
 * a function CPU in proportion to its memory, and the transform's work grows with the object.
 * An object over the limit is refused before it is read (lambda/transform/object-size-check.ts),
 * rather than timing out again on every delivery until it reaches the dead-letter queue with no
 * reason given.
 */

export interface ObjectSizeLimit {
  /** The most MB of a plain (uncompressed) object, as stored. */
  readonly plainMb: number;
  /** The most MB of a gzip object, as stored: each of its MB is several to read. */
  readonly gzipMb: number;
  /** The most MB of a Parquet object: its pages are decoded and every value checked, the slowest MB of all. */
  readonly parquetMb: number;
}

/** How a raw object is stored, as far as the time to read one of its MB goes. */
export type ObjectEncoding = 'plain' | 'gzip' | 'parquet';

/**
 * Stored MB one full vCPU transforms per second: plain and gzip are the slower of CSV and JSON
 * lines, the medians of `npm run bench:largest` (docs/benchmarks.md, "Largest object"); Parquet is
 * the Parquet reader's rate on a file of several row groups (docs/datasets.md, "Parquet input").
 */
export const MEASURED_MB_PER_VCPU_SECOND: Readonly<ObjectSizeLimit> = { plainMb: 12, gzipMb: 5, parquetMb: 2 };

/** Lambda allocates one full vCPU at 1,769 MB of memory, and a proportional share below it. */
export const LAMBDA_MB_PER_VCPU = 1769;

/**
 * The share of the timeout one object may take. The rest is headroom for what the benchmark does
 * not measure: a slower vCPU than the benchmark machine's, reading from S3 over the network, and
 * the other objects of the batch (up to 10) that share the invocation.
 */
export const TIMEOUT_SHARE = 0.5;

/** The limit for a function of `memoryMb` and `timeoutSeconds`. The transform runs on one thread: more than one vCPU adds nothing. */
export function objectSizeLimitOf(memoryMb: number, timeoutSeconds: number): ObjectSizeLimit {
  const vcpu = Math.min(1, memoryMb / LAMBDA_MB_PER_VCPU);
  const seconds = timeoutSeconds * TIMEOUT_SHARE;
  return {
    plainMb: Math.max(1, Math.floor(MEASURED_MB_PER_VCPU_SECOND.plainMb * vcpu * seconds)),
    gzipMb: Math.max(1, Math.floor(MEASURED_MB_PER_VCPU_SECOND.gzipMb * vcpu * seconds)),
    parquetMb: Math.max(1, Math.floor(MEASURED_MB_PER_VCPU_SECOND.parquetMb * vcpu * seconds)),
  };
}

/** Where docs/datasets.md says how to split or re-route an object over the limit. */
export const OVERSIZE_HELP = 'docs/datasets.md#objects-too-large-for-one-invocation';

const MB = 1024 * 1024;

/** `3.2 GB`, `840 MB`: how large an object is, in the unit a person reads. */
export function formatSize(bytes: number): string {
  return bytes >= 1024 * MB ? `${(bytes / (1024 * MB)).toFixed(1)} GB` : `${Math.ceil(bytes / MB)} MB`;
}

/** Why an object of `bytes` stored as `encoding` is refused, or undefined when it is within the limit. */
export function oversizeReason(bytes: number, encoding: ObjectEncoding, limit: ObjectSizeLimit): string | undefined {
  const limitMb = { plain: limit.plainMb, gzip: limit.gzipMb, parquet: limit.parquetMb }[encoding];
  if (bytes <= limitMb * MB) return undefined;
  const of = encoding === 'plain' ? '' : ` of ${encoding === 'gzip' ? 'gzip' : 'Parquet'}`;
  return `object is ${formatSize(bytes)}${of}; the transform handles up to ${limitMb.toLocaleString('en')} MB${of} `
    + 'in one invocation with its configured memory and timeout (transform.memoryMb, transform.timeoutSeconds); '
    + `split it, or raise them (${OVERSIZE_HELP})`;
}

/** Objects up to this size are within both limits whatever they hold: no need to look at their first bytes. */
export function isSurelyWithin(bytes: number, limit: ObjectSizeLimit): boolean {
  return bytes <= Math.min(limit.plainMb, limit.gzipMb) * MB;
}

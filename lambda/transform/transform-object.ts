/**
 * The transform of one raw object: decompress if gzip (by content, not name), read records in the
 * dataset's format (Parquet by byte ranges, a row group at a time), convert each to the dataset's
 * types, and write valid rows as Parquet and the rest to quarantine. Every record read is written or quarantined: read = written + quarantined.
 * Then a manifest of what was written, for the curation jobs (contract/standardized-layout.ts).
 *
 * A source transformed before (the same raw object version, again) is replaced, not added to: what
 * the earlier transform wrote and this one does not write again (files of partitions its rows no
 * longer reach, quarantine files of records that now pass, its manifest of another day, a marker
 * that the object was unreadable) is removed once this one's manifest is written, and the source's
 * outputs record is written last, so a retry at any point finds the earlier record and finishes the job.
 */
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { SourceObject } from '../../contract/object-created-event';
import {
  MANIFEST_FORMAT, SOURCE_OUTPUTS_FORMAT, type SourceOutputs, type StandardizedManifest, manifestKey, sourceOutputsKey, unreadableMarkerKey,
} from '../../contract/standardized-layout';
import type { TransformWriterSettings } from '../../contract/transform-settings';
import type { CompiledDataset } from './compiled-dataset';
import { type ObjectBytes, isByteRanges } from './object-bytes';
import { readParquet } from './parquet-reader';
import { DEFAULT_ROW_GROUP_ROWS, type OutputFile, PartitionedParquetWriter } from './partitioned-writer';
import { QuarantineWriter } from './quarantine';
import { type RecordSink, UnreadableObjectError, readerFor } from './record-readers';
import { UploadPool } from './upload-pool';
import { Rejected } from './values';

export interface TransformResult {
  readonly read: number;
  readonly written: number;
  readonly quarantined: number;
  /** Keys written to the standardized bucket (Parquet and quarantine files). */
  readonly outputs: readonly string[];
  /** The manifest's key, written after the outputs. */
  readonly manifest: string;
  /** Keys an earlier transform of the same source wrote that this one removed. */
  readonly superseded: readonly string[];
  /** Decimal values of the rows written that were rounded (decimalRounding: round). */
  readonly rounded: number;
  /** CSV and Parquet: the columns the file adds to or lacks from the schema, when it differs. */
  readonly drift?: CsvDrift;
  /** CSV and Parquet: why none of the object's records could be read (every one was quarantined with it). */
  readonly refused?: string;
}

export interface CsvDrift {
  readonly extraColumns: readonly string[];
  readonly missingColumns: readonly string[];
}

/**
 * The Lambda passes its settings' rowGroupRows and integerEncoding (contract/transform-settings.ts);
 * without them, the config's defaults.
 */
export interface TransformOptions extends Partial<TransformWriterSettings> {
  /** When the raw object arrived (its event's time): the manifest's `ingestedAt`. */
  readonly ingestedAt: Date;
  /** The manifest's `writtenAt`, which also picks its folder. Default: the system clock. */
  readonly clock?: () => Date;
  /** Most output PUTs in flight at once. Default MAX_UPLOADS_IN_FLIGHT (upload-pool.ts). */
  readonly maxUploadsInFlight?: number;
}

/** Where outputs go: the standardized bucket in AWS, the embedded S3 endpoint locally, memory in tests. */
export interface OutputStore {
  put(file: OutputFile): Promise<void>;
  /** An object's bytes, or undefined when there is no such key. */
  get(key: string): Promise<Buffer | undefined>;
  /** Removes keys (those absent too): an attempt that failed part way, or what a new transform of a source supersedes. */
  remove(keys: readonly string[]): Promise<void>;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Stable id of a source object version: the same input always yields the same output keys. */
export function sourceIdOf(source: SourceObject): string {
  return createHash('sha256').update(`${source.bucket}\n${source.key}\n${source.version}`).digest('hex').slice(0, 20);
}

/**
 * Peeks at the first bytes and gunzips when they are the gzip magic number. Plain input is passed
 * on chunk by chunk as it came, with no stream in between.
 */
export async function decompressed(body: Readable): Promise<AsyncIterable<Uint8Array>> {
  const iterator = body[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head: Buffer | undefined = first.done ? undefined : Buffer.from(first.value as Uint8Array);
  const gzip = head !== undefined && head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  // The body's chunks, the one peeked at first.
  const chunks = (async function* bodyChunks() {
    if (head) yield head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Uint8Array;
  })();
  if (!gzip) return chunks;
  const compressed = Readable.from(chunks);
  const gunzip = createGunzip();
  compressed.on('error', (error) => gunzip.destroy(error));
  gunzip.on('error', () => undefined);
  const wrapped = compressed.pipe(gunzip);
  // Turn zlib's errors into the one clear failure this object deserves.
  const checked = new PassThrough();
  wrapped.on('error', (error) => checked.destroy(new UnreadableObjectError(`corrupt gzip: ${error.message}`)));
  wrapped.pipe(checked);
  return checked;
}

/** What an earlier transform of the source wrote, from its outputs record, or undefined. */
async function earlierOutputs(store: OutputStore, key: string): Promise<SourceOutputs | undefined> {
  const body = await store.get(key);
  if (body === undefined) return undefined;
  const record = JSON.parse(body.toString('utf8')) as SourceOutputs;
  if (record.format !== SOURCE_OUTPUTS_FORMAT) throw new Error(`${key}: format ${JSON.stringify(record.format)}; expected ${SOURCE_OUTPUTS_FORMAT}`);
  return record;
}

/** Reads the object's records into `sink`: Parquet by byte ranges, the text formats as a (gunzipped) stream. */
async function readObject(body: ObjectBytes, dataset: CompiledDataset, sink: RecordSink): Promise<void> {
  if (dataset.config.format === 'parquet') {
    if (!isByteRanges(body)) throw new Error(`dataset ${dataset.name}: Parquet is read by byte ranges (object-bytes.ts), not from a stream`);
    return readParquet(body, dataset, sink);
  }
  if (isByteRanges(body)) throw new Error(`dataset ${dataset.name}: format ${dataset.config.format} is read from a stream, not by byte ranges`);
  await readerFor(dataset)(await decompressed(body), dataset, sink);
}

export async function transformObject(
  source: SourceObject,
  body: ObjectBytes,
  dataset: CompiledDataset,
  store: OutputStore,
  options: TransformOptions,
): Promise<TransformResult> {
  const sourceId = sourceIdOf(source);
  const outputsKey = sourceOutputsKey(dataset.name, sourceId);
  const earlier = await earlierOutputs(store, outputsKey);
  // Every key is recorded before its put, so that a put that fails half way is cleaned up too.
  const outputs: string[] = [];
  const dataFiles: Array<{ key: string; rows: number }> = [];
  const quarantineFiles: string[] = [];
  // PUTs go through a small pool: an object of thousands of partitions must not start thousands at once.
  const uploads = new UploadPool(options.maxUploadsInFlight);
  const writeData = async (file: OutputFile) => {
    outputs.push(file.key);
    dataFiles.push({ key: file.key, rows: file.rows });
    await uploads.submit(() => store.put(file));
  };
  const writeQuarantine = async (file: OutputFile) => {
    outputs.push(file.key);
    quarantineFiles.push(file.key);
    await uploads.submit(() => store.put(file));
  };
  const parquet = new PartitionedParquetWriter(dataset, sourceId, writeData, options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS, { integerEncoding: options.integerEncoding });
  const quarantine = new QuarantineWriter(dataset.name, source, sourceId, writeQuarantine);
  const { converters } = dataset;
  let read = 0;

  // Why a rejected record was rejected: every column's reason, as the quarantine record says.
  const rejection = (line: number, values: readonly unknown[], positions: ArrayLike<number>) => {
    const reasons: string[] = [];
    converters.forEach((convert, index) => {
      const value = convert(positions[index] < 0 ? undefined : values[positions[index]]);
      if (value instanceof Rejected) reasons.push(value.reason);
    });
    // The writers' fast paths only ever accept what the converters accept; a record they refused
    // must have a reason here, or the two have drifted apart (a bug, not bad data).
    if (reasons.length === 0) throw new Error(`record at line ${line}: refused by a column writer but accepted by every converter`);
    const raw = Object.fromEntries(dataset.columns.map((column, index) => [column.name, positions[index] < 0 ? null : values[positions[index]] ?? null]));
    return { reason: reasons.join('; '), record: raw };
  };

  // Rounded values are counted for the rows written only. The dataset's counter is shared by the
  // objects transformed at once, but each record is converted synchronously, so what it adds
  // while one record is converted is that record's.
  const rounding = dataset.rounding;
  let rounded = 0;
  let drift: CsvDrift | undefined;
  let refused: string | undefined;
  const sink: RecordSink = {
    record(line, values, positions, numbers) {
      read++;
      const before = rounding.count;
      if (parquet.append(values, positions, numbers)) {
        rounded += rounding.count - before;
        return parquet.flushIfFull();
      }
      return quarantine.add({ line, ...rejection(line, numbers ? numbers.withText(values) : values, positions) });
    },
    layout(layout) {
      if (layout.extraColumns.length > 0 || layout.missingColumns.length > 0) drift = { extraColumns: layout.extraColumns, missingColumns: layout.missingColumns };
      refused = layout.problem;
    },
    unreadable(line, reason, text) {
      read++;
      return quarantine.add({ line, reason, record: text });
    },
  };

  let manifest: string | undefined;
  let superseded: string[] = [];
  try {
    await readObject(body, dataset, sink);
    await parquet.finish();
    await quarantine.finish();
    await uploads.drain();
    // Last, once every file it names is complete: a reader that finds the manifest can read them all.
    const writtenAt = (options.clock ?? (() => new Date()))();
    const document: StandardizedManifest = {
      format: MANIFEST_FORMAT,
      dataset: dataset.name,
      source: { bucket: source.bucket, key: source.key, version: source.version },
      ingestedAt: options.ingestedAt.toISOString(),
      writtenAt: writtenAt.toISOString(),
      records: { read, written: parquet.writtenRows, quarantined: quarantine.count, rounded },
      ...(drift ? { drift } : {}),
      files: dataFiles,
      quarantine: quarantineFiles,
    };
    manifest = manifestKey(dataset.name, writtenAt, sourceId);
    await store.put({ key: manifest, body: Buffer.from(JSON.stringify(document), 'utf8'), rows: 0 });
    // Then what this transform replaces, and last the record a later transform of the source starts from.
    const current = new Set([...outputs, manifest]);
    superseded = earlier === undefined ? [] : [...earlier.files, earlier.manifest].filter((key) => !current.has(key));
    await store.remove([...superseded, unreadableMarkerKey(dataset.name, sourceId)]);
    const record: SourceOutputs = { format: SOURCE_OUTPUTS_FORMAT, dataset: dataset.name, source: document.source, manifest, files: outputs };
    await store.put({ key: outputsKey, body: Buffer.from(JSON.stringify(record), 'utf8'), rows: 0 });
  } catch (error) {
    // Let the uploads still in flight end first, so that none lands after the clean-up.
    await uploads.drain().catch(() => undefined);
    await store.remove(manifest === undefined ? outputs : [...outputs, manifest]);
    throw error;
  }
  return { read, written: parquet.writtenRows, quarantined: quarantine.count, outputs, manifest, superseded, rounded, drift, refused };
}

/**
 * The keys of the raw bucket, shared by what writes them (uploads, local mode, the database pull,
 * Firehose as the ingest stack configures it), what reads them (the transform, the crawlers) and
 * the permissions and event rules between:
 *
 *   landing/<dataset>/…                              batch uploads (any depth, any name)
 *   stream/<dataset>/ingest_date=<yyyy-mm-dd>/…      Firehose deliveries, by arrival date
 *   errors/<dataset>/<error type>/ingest_date=…/…    records Firehose could not process or deliver
 *
 * The transform reads `landing/` and `stream/`; the dataset is the key's second folder. A key with
 * a folder or file name beginning with `_` or `.` is hidden (Hadoop's convention, which Spark,
 * Glue and Athena follow): a writer's temporary attempt files (`_temporary/0/…`), its markers
 * (`_SUCCESS`) and checksums (`.part-….crc`). The transform skips hidden keys.
 */
import { IDENTIFIER_PATTERN, type IngestMode } from './dataset';

export const LANDING_PREFIX = 'landing/';
export const STREAM_PREFIX = 'stream/';
export const ERRORS_PREFIX = 'errors/';

/** Raw prefixes the transform reads: batch uploads and Firehose deliveries. */
export const TRANSFORMED_PREFIXES = [LANDING_PREFIX, STREAM_PREFIX] as const;

/** The partition of stream deliveries: the processor's partition key, a folder under stream/<dataset>/. */
export const STREAM_PARTITION_KEY = 'ingest_date';

/** Where raw objects of a dataset land: `landing/<dataset>/` (batch) or `stream/<dataset>/` (Firehose). */
export function rawPrefix(dataset: string, ingest: IngestMode): string {
  return `${ingest === 'batch' ? LANDING_PREFIX : STREAM_PREFIX}${dataset}/`;
}

/** The key of an uploaded file: `landing/<dataset>/<name>`, where `name` may hold folders. */
export function landingKey(dataset: string, name: string): string {
  return `${rawPrefix(dataset, 'batch')}${name}`;
}

/** Where Firehose writes a dataset's failed records. */
export function errorsPrefix(dataset: string): string {
  return `${ERRORS_PREFIX}${dataset}/`;
}

/** Firehose's S3 prefix for a stream dataset: its raw prefix and the processor's partition key. */
export function firehoseDeliveryPrefix(dataset: string): string {
  return `${rawPrefix(dataset, 'stream')}${STREAM_PARTITION_KEY}=!{partitionKeyFromLambda:${STREAM_PARTITION_KEY}}/`;
}

/** Firehose's error output prefix for a stream dataset: by error type, then by day. */
export function firehoseErrorPrefix(dataset: string): string {
  return `${errorsPrefix(dataset)}!{firehose:error-output-type}/${STREAM_PARTITION_KEY}=!{timestamp:yyyy-MM-dd}/`;
}

const DATASET_KEY = new RegExp(`^(?:${TRANSFORMED_PREFIXES.map((prefix) => prefix.slice(0, -1)).join('|')})/(${IDENTIFIER_PATTERN.source.replace(/^\^|\$$/g, '')})/`);

/** The dataset of a raw key the transform reads, or undefined for keys outside landing/ and stream/. */
export function datasetOfRawKey(key: string): string | undefined {
  return DATASET_KEY.exec(key)?.[1];
}

/** The first hidden folder or file name (`_temporary`, `_SUCCESS`, `.part-0.crc`) of a raw key, or undefined. */
export function hiddenNameOf(key: string): string | undefined {
  return key.split('/').find((name) => name.startsWith('_') || name.startsWith('.'));
}

/**
 * The keys of the standardized bucket, shared by the transform that writes them, the curation jobs
 * that read them (glue-scripts/src/lakeworks_curation/manifests.py mirrors this file), local mode
 * and the tests:
 *
 *   <dataset>/<col>=<value>/…/part-<sourceId>-<n>.parquet   typed rows (the Glue table's location)
 *   quarantine/<dataset>/part-<sourceId>-<n>.jsonl          records that could not be written, with the reason
 *   quarantine/<dataset>/unreadable/part-<sourceId>.json    an object that could not be read at all
 *   manifests/<dataset>/<yyyy-mm-dd>/<sourceId>.json        one per raw object transformed: what it wrote
 *   outputs/<dataset>/<sourceId>.json                       what the latest transform of a source wrote
 *
 * A manifest is written last, after every file it names, so a manifest always names complete
 * files. Its folder is the UTC day it was written: a curation run lists only the days since its
 * last run, so what it lists grows with new data, not with the lake's history.
 *
 * The outputs record sits at a key the source alone decides, so a transform of the same source
 * version again (a redriven message, a replay after a config change) finds what the earlier one
 * wrote and removes whatever it does not write again: a replay replaces a source's outputs, it
 * never leaves an earlier attempt's rows beside them.
 */

export const QUARANTINE_PREFIX = 'quarantine/';
export const MANIFESTS_PREFIX = 'manifests/';
export const OUTPUTS_PREFIX = 'outputs/';

/** Top-level folders that are not datasets: no dataset may be named so. */
export const RESERVED_FOLDERS: readonly string[] = [QUARANTINE_PREFIX, MANIFESTS_PREFIX, OUTPUTS_PREFIX].map((prefix) => prefix.slice(0, -1));

/** Identifies this manifest layout; readers refuse others. */
export const MANIFEST_FORMAT = 'lakeworks.standardized-manifest/1';

export interface StandardizedManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly dataset: string;
  /** The raw object version the files came from. */
  readonly source: { readonly bucket: string; readonly key: string; readonly version: string };
  /**
   * When the raw object arrived (the S3 event's time, ISO 8601 UTC): the rows' `ingested_at` in the
   * conformed layer, which orders deliveries of the same key. A retry of the same event keeps it.
   */
  readonly ingestedAt: string;
  /** When this manifest was written (ISO 8601 UTC). */
  readonly writtenAt: string;
  /** `rounded`: decimal values of the written rows rounded to their scale (decimalRounding: round). */
  readonly records: { readonly read: number; readonly written: number; readonly quarantined: number; readonly rounded?: number };
  /** CSV: header columns the schema does not name, and schema columns the header lacks (read as null). */
  readonly drift?: { readonly extraColumns: readonly string[]; readonly missingColumns: readonly string[] };
  /** Parquet files written, keys relative to the bucket, with their row counts. */
  readonly files: ReadonlyArray<{ readonly key: string; readonly rows: number }>;
  /** Quarantine files written, keys relative to the bucket. */
  readonly quarantine: readonly string[];
}

/** `manifests/<dataset>/<yyyy-mm-dd>/<sourceId>.json`, dated by when it is written (UTC). */
export function manifestKey(dataset: string, writtenAt: Date, sourceId: string): string {
  return `${MANIFESTS_PREFIX}${dataset}/${writtenAt.toISOString().slice(0, 10)}/${sourceId}.json`;
}

export function quarantinePrefix(dataset: string): string {
  return `${QUARANTINE_PREFIX}${dataset}/`;
}

/** Markers of the dataset's objects the transform could not read at all. */
export function unreadablePrefix(dataset: string): string {
  return `${quarantinePrefix(dataset)}unreadable/`;
}

export function unreadableMarkerKey(dataset: string, sourceId: string): string {
  return `${unreadablePrefix(dataset)}part-${sourceId}.json`;
}

/** Identifies the outputs record's layout; the transform refuses others. */
export const SOURCE_OUTPUTS_FORMAT = 'lakeworks.source-outputs/1';

/** What the latest transform of one raw object version wrote: written after its manifest. */
export interface SourceOutputs {
  readonly format: typeof SOURCE_OUTPUTS_FORMAT;
  readonly dataset: string;
  readonly source: StandardizedManifest['source'];
  /** The manifest's key. */
  readonly manifest: string;
  /** Every Parquet and quarantine file it wrote, keys relative to the bucket. */
  readonly files: readonly string[];
}

/** `outputs/<dataset>/<sourceId>.json`: the same for every transform of the same source version. */
export function sourceOutputsKey(dataset: string, sourceId: string): string {
  return `${OUTPUTS_PREFIX}${dataset}/${sourceId}.json`;
}

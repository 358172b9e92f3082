/**
 * What the deployed transform will write for an uploaded object, predicted by running the same
 * transform code in memory on the same bytes.
 *
 * Output keys are a deterministic function of the source object (bucket, key, version: see
 * lambda/transform/transform-object.ts sourceIdOf) and of its content (partition values, part
 * numbers), so the prediction is exact as long as the deployed code and dataset config are the
 * ones in this checkout. Waiting for exact keys, rather than for "something new under the
 * dataset", is what lets a run tell its own outputs from everyone else's and remove only its own.
 * The manifest's key is exact but for its folder, the day the transform writes it.
 */
import { Readable } from 'node:stream';
import type { SourceObject } from '../../contract/object-created-event';
import { manifestKey, sourceOutputsKey, unreadableMarkerKey } from '../../contract/standardized-layout';
import type { TransformWriterSettings } from '../../contract/transform-settings';
import type { DatasetConfig } from '../../lib/config/lob-schema';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import { UnreadableObjectError } from '../../lambda/transform/record-readers';
import { type OutputStore, sourceIdOf, transformObject } from '../../lambda/transform/transform-object';

export interface ExpectedOutputs {
  readonly sourceId: string;
  /** Standardized keys the transform writes: Parquet and quarantine parts (its manifest: manifestKeys). */
  readonly keys: readonly string[];
  /** Set when the transform cannot read the object at all; it then fails the object (and its SQS message) and writes no manifest. */
  readonly unreadable?: string;
}

/** When a run's objects may be transformed: from its first upload until now. */
export interface TransformWindow {
  readonly from: Date;
  readonly to: Date;
}

/** How far this machine's clock may be from the transform's, for manifestKeys. */
export const CLOCK_SKEW_MS = 60 * 60 * 1000;
const DAY_MS = 86_400_000;

const DISCARD: OutputStore = { put: async () => undefined, get: async () => undefined, remove: async () => undefined };

/**
 * `writer` is the deployed transform's (contract/transform-settings.ts writerSettingsOf): the row
 * group size decides how many parts a partition gets, so it decides the keys.
 */
export async function expectedOutputs(dataset: DatasetConfig, source: SourceObject, body: Buffer, writer: TransformWriterSettings): Promise<ExpectedOutputs> {
  const sourceId = sourceIdOf(source);
  try {
    // The arrival time goes into the manifest only, never into a data or quarantine key.
    const result = await transformObject(source, Readable.from([body]), compileDataset(dataset), DISCARD, { ingestedAt: new Date(), ...writer });
    return { sourceId, keys: [...result.outputs].sort() };
  } catch (error) {
    if (error instanceof UnreadableObjectError) return { sourceId, keys: [unreadableMarkerKey(dataset.name, sourceId)], unreadable: error.message };
    throw error;
  }
}

/**
 * The keys the transform's manifest of the object may have. Its folder is the UTC day the deployed
 * transform wrote it, which a run knows only to lie in its window (widened by CLOCK_SKEW_MS for
 * this machine's clock): one key per day of the window, usually one. None for an unreadable object.
 */
export function manifestKeys(dataset: string, expected: ExpectedOutputs, window: TransformWindow): string[] {
  if (expected.unreadable) return [];
  const first = Math.floor((window.from.getTime() - CLOCK_SKEW_MS) / DAY_MS);
  const last = Math.floor((window.to.getTime() + CLOCK_SKEW_MS) / DAY_MS);
  const keys: string[] = [];
  for (let day = first; day <= last; day++) keys.push(manifestKey(dataset, new Date(day * DAY_MS), expected.sourceId));
  return keys;
}

/** The manifest whatever its day, for messages. */
export function manifestPattern(dataset: string, expected: ExpectedOutputs): string {
  return manifestKey(dataset, new Date(0), expected.sourceId).replace(/\/\d{4}-\d{2}-\d{2}\//, '/<yyyy-mm-dd>/');
}

/**
 * The listing prefixes that cover every output of one source object: each output's folder plus
 * `part-<sourceId>`, the unreadable marker, its manifest's possible keys and the source's outputs
 * record. Narrow enough to list in a large lake.
 */
export function outputPrefixes(dataset: string, expected: ExpectedOutputs, window: TransformWindow): string[] {
  const prefixes = new Set(expected.keys.map((key) => `${key.slice(0, key.lastIndexOf('/') + 1)}part-${expected.sourceId}`));
  prefixes.add(unreadableMarkerKey(dataset, expected.sourceId).replace(/\.json$/, ''));
  for (const key of manifestKeys(dataset, expected, window)) prefixes.add(key);
  prefixes.add(sourceOutputsKey(dataset, expected.sourceId));
  return [...prefixes].sort();
}

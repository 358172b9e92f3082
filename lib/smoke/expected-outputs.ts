/**
 * What the deployed transform will write for an uploaded object, predicted by running the same
 * transform code in memory on the same bytes.
 *
 * Output keys are a deterministic function of the source object (bucket, key, version: see
 * lambda/transform/transform-object.ts sourceIdOf) and of its content (partition values, part
 * numbers), so the prediction is exact as long as the deployed code and dataset config are the
 * ones in this checkout. Waiting for exact keys, rather than for "something new under the
 * dataset", is what lets a run tell its own outputs from everyone else's and remove only its own.
 */
import { Readable } from 'node:stream';
import type { DatasetConfig } from '../config/lob-schema';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import { UnreadableObjectError } from '../../lambda/transform/record-readers';
import type { SourceObject } from '../../lambda/transform/quarantine';
import { type OutputStore, sourceIdOf, transformObject } from '../../lambda/transform/transform-object';

export interface ExpectedOutputs {
  readonly sourceId: string;
  /** Standardized keys the transform writes: Parquet and quarantine parts. */
  readonly keys: readonly string[];
  /** Set when the transform cannot read the object at all; it then fails the object (and its SQS message). */
  readonly unreadable?: string;
}

/** The marker the transform writes for an object it cannot read (lambda/transform/handler.ts). */
export function unreadableMarkerKey(dataset: string, sourceId: string): string {
  return `quarantine/${dataset}/unreadable/part-${sourceId}.json`;
}

export async function expectedOutputs(dataset: DatasetConfig, source: SourceObject, body: Buffer, rowGroupRows: number): Promise<ExpectedOutputs> {
  const keys: string[] = [];
  const store: OutputStore = {
    put: async (file) => { keys.push(file.key); },
    remove: async () => undefined,
  };
  const sourceId = sourceIdOf(source);
  try {
    await transformObject(source, Readable.from([body]), compileDataset(dataset), store, { rowGroupRows });
    return { sourceId, keys: [...keys].sort() };
  } catch (error) {
    if (error instanceof UnreadableObjectError) return { sourceId, keys: [unreadableMarkerKey(dataset.name, sourceId)], unreadable: error.message };
    throw error;
  }
}

/**
 * The listing prefixes that cover every output of one source object: each output's folder plus
 * `part-<sourceId>`, and the unreadable marker. Narrow enough to list in a large lake.
 */
export function outputPrefixes(dataset: string, expected: ExpectedOutputs): string[] {
  const prefixes = new Set(expected.keys.map((key) => `${key.slice(0, key.lastIndexOf('/') + 1)}part-${expected.sourceId}`));
  prefixes.add(`quarantine/${dataset}/unreadable/part-${expected.sourceId}`);
  return [...prefixes].sort();
}

/**
 * The sample inputs of a LoB (`samples/<lob>/<dataset>/<files>`, the same files local mode uses)
 * and the raw key each is uploaded to.
 *
 * Key layout: `landing/<dataset>/<runId>-<file>`. The transform finds the dataset from the
 * `landing/<dataset>/` prefix and accepts any key below it, so a run directory would work for the
 * transform too; but the raw crawlers treat a new folder under a dataset's prefix as a new
 * partition, and a smoke run should not change the raw table. A unique file name keeps the raw
 * layout flat and still gives the run one listable prefix per dataset.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { landingKey } from '../../contract/raw-layout';
import type { LobConfig } from '../../lib/config/lob-schema';
import { type DatasetInput, datasetInputs } from '../local/dataset-inputs';

/** A sample input: its dataset, its path on disk, and its path below the dataset folder. */
export type SampleFile = DatasetInput;

/** `smoke-20261122t101500z-3f9a1c`: sortable, unique per run, valid in S3 keys and Step Functions execution names. */
export function newRunId(now: Date, random: () => string = () => randomBytes(3).toString('hex')): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'z').replace(/[-:]/g, '').toLowerCase();
  return `smoke-${stamp}-${random()}`;
}

/** The raw key of a sample in a run: nested sample folders are flattened into the file name. */
export function rawKeyOf(runId: string, sample: Pick<SampleFile, 'dataset' | 'name'>): string {
  return landingKey(sample.dataset, `${runId}-${sample.name.split('/').join('-')}`);
}

/** Every sample file; a folder that is not a dataset of the LoB, or no files at all, is an error. */
export function sampleFiles(samplesDir: string, lob: LobConfig): SampleFile[] {
  if (!fs.existsSync(samplesDir) || !fs.statSync(samplesDir).isDirectory()) throw new Error(`${samplesDir} is not a directory of sample inputs`);
  const samples = datasetInputs(samplesDir, lob);
  if (samples.length === 0) throw new Error(`${samplesDir} holds no sample files (expected <dataset>/<files>)`);
  return samples;
}

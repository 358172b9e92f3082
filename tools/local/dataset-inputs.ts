/**
 * Input files laid out as `<dir>/<dataset>/<files>`, the layout of `samples/<lob>/` that local
 * mode and the smoke test both upload to raw `landing/<dataset>/…`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LobConfig } from '../../lib/config/lob-schema';

export interface DatasetInput {
  readonly dataset: string;
  /** Path on disk. */
  readonly file: string;
  /** Path below the dataset folder, with `/`. */
  readonly name: string;
}

/** A folder under the input directory that is not a dataset of the LoB. */
export class DatasetInputError extends Error {}

/** Every file below `dir`, in a stable order. */
export function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  }).sort();
}

/** The dataset folders of `dir`, which must exist; a folder that is not a dataset of the LoB is an error. */
export function datasetFolders(dir: string, lob: LobConfig): string[] {
  const folders = fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const unknown = folders.filter((name) => !lob.datasets.some((dataset) => dataset.name === name));
  if (unknown.length > 0) {
    throw new DatasetInputError(`${dir}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a dataset of ${lob.name} (datasets: ${lob.datasets.map((d) => d.name).join(', ')})`);
  }
  return folders;
}

/** Every file under `<dir>/<dataset>/`, in a stable order. */
export function datasetInputs(dir: string, lob: LobConfig): DatasetInput[] {
  return datasetFolders(dir, lob).flatMap((dataset) => filesUnder(path.join(dir, dataset)).map((file) => ({
    dataset, file, name: path.relative(path.join(dir, dataset), file).split(path.sep).join('/'),
  })));
}

/**
 * The readings of one dataset: its uploaded objects in the dataset's format, and, when its API
 * source declares a response format (contract/api-response.ts), the objects under
 * `landing/<dataset>/api/` in that one. Both write the same columns to the same standardized
 * dataset; each is compiled once per container.
 */
import { isApiResponseKey } from '../../contract/api-source';
import type { ApiResponseReading } from '../../contract/api-response';
import type { Dataset } from '../../contract/dataset';
import { type CompiledDataset, compileDataset } from './compiled-dataset';

export interface DatasetReadings {
  readonly name: string;
  /** Every object not under the API folder: the dataset's own format. */
  readonly objects: CompiledDataset;
  /** Objects under the API folder, when the source declares how its responses read. */
  readonly apiResponses?: CompiledDataset;
}

/** The dataset as its API responses read: their format and shape; the CSV dialect belongs to the files. */
function asApiResponses(config: Dataset, response: ApiResponseReading): Dataset {
  const { csv: _csv, drift: _drift, json: _json, nestedKeys: _nestedKeys, ...rest } = config;
  return {
    ...rest,
    format: response.format,
    ...(response.json ? { json: response.json } : {}),
    ...(response.nestedKeys ? { nestedKeys: response.nestedKeys } : {}),
  };
}

export function compileReadings(config: Dataset): DatasetReadings {
  const response = config.source?.api?.response;
  return {
    name: config.name,
    objects: compileDataset(config),
    ...(response ? { apiResponses: compileDataset(asApiResponses(config, response)) } : {}),
  };
}

/** How the object at `key` reads. */
export function readingFor(readings: DatasetReadings, key: string): CompiledDataset {
  return readings.apiResponses && isApiResponseKey(readings.name, key) ? readings.apiResponses : readings.objects;
}

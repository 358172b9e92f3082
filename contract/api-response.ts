/**
 * How an API source's responses are read, when not in the dataset's own format: a dataset of
 * uploaded CSV files can also be pulled from an API that answers in JSON. The transform reads
 * objects under `landing/<dataset>/api/` (api-source.ts) with this reading and every other object
 * with the dataset's format; both write the same columns to the same standardized dataset.
 *
 * Only the reading differs. Column types, date formats, time zone, ranges and decimal rounding
 * are the dataset's and apply to both; the CSV dialect (`csv`, `drift`) describes the files only.
 */
import { type DatasetJsonShape, jsonShapeColumns, jsonShapeProblem } from './json-shape';

/** API responses are JSON: one document, JSON lines, or a document whose keys carry values. */
export const API_RESPONSE_FORMATS = ['json', 'jsonl', 'nested_json'] as const;
export type ApiResponseFormat = (typeof API_RESPONSE_FORMATS)[number];

export interface ApiResponseReading {
  readonly format: ApiResponseFormat;
  /** For `json` (recordPath, fields, documentFields) and `jsonl` (fields): where values are. */
  readonly json?: DatasetJsonShape;
  /** For `nested_json`: the column each level of object keys becomes, outermost first. */
  readonly nestedKeys?: readonly string[];
}

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: Json): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Columns a reading names (nestedKeys and its JSON shape), to be checked against the schema. */
export function apiResponseColumns(reading: ApiResponseReading): string[] {
  return [...(reading.nestedKeys ?? []), ...(reading.json ? jsonShapeColumns(reading.json) : [])];
}

/** What keeps `value` from being an ApiResponseReading the transform can follow, or undefined when it is one. */
export function apiResponseProblem(value: Json): string | undefined {
  if (!isObject(value)) return 'response is not an object';
  if (!(API_RESPONSE_FORMATS as readonly Json[]).includes(value.format)) return `response.format is not one of ${API_RESPONSE_FORMATS.join(', ')}`;
  if (value.json !== undefined) {
    const shapeIssue = jsonShapeProblem(value.json);
    if (shapeIssue) return `response.${shapeIssue}`;
  }
  if (value.format === 'json' && !Array.isArray((value.json as { recordPath?: unknown } | undefined)?.recordPath)) return 'response format json needs json.recordPath';
  if (value.format === 'nested_json' && !(isStringArray(value.nestedKeys) && value.nestedKeys.length > 0)) return 'response format nested_json needs nestedKeys';
  if (value.nestedKeys !== undefined && !isStringArray(value.nestedKeys)) return 'response.nestedKeys is not a list of column names';
  return undefined;
}

/**
 * A dataset as deploy and runtime share it: what the transform and the Firehose processor need to
 * read, check and write its records, and what synth bundles into their code (see
 * transform-settings.ts, processor-settings.ts).
 *
 * lib/config/lob-schema.ts is the validator of `config/lobs/<lob>.yaml`; the type it produces is
 * checked, at compile time, to be assignable to `Dataset`. Runtime code depends on this interface,
 * never on the schema, so the config layer can change without the Lambdas loading it.
 */

import { type ApiResponseReading, apiResponseColumns, apiResponseProblem } from './api-response';
import type { DatasetCsvDialect, DatasetDrift, DecimalRounding } from './csv-dialect';
import { type DatasetJsonShape, jsonShapeColumns, jsonShapeProblem } from './json-shape';
import { type PartitionEntry, partitionEntryProblem, partitionKeysOf } from './partitioning';

/** Dataset and column names: Glue identifiers. */
export const IDENTIFIER_PATTERN = /^[a-z][a-z0-9_]*$/;

export const INGEST_MODES = ['batch', 'stream'] as const;
export type IngestMode = (typeof INGEST_MODES)[number];

/**
 * `nested_json` covers documents whose object keys carry values, such as
 * `{"USD": {"GBP": {"2010-01-04": {...}}}}`: each nesting level named in `nestedKeys` becomes a
 * column and the innermost object's fields fill the rest of the schema.
 */
/**
 * `json` covers any other JSON document: its records are found by a path (json-shape.ts), such as
 * the elements of one top-level array or the entries of an object nested in an API response.
 */
/**
 * `parquet` covers objects that are Parquet files already: read a row group at a time, each value
 * checked against the schema like any other format's.
 */
export const FORMATS = ['csv', 'jsonl', 'nested_json', 'json', 'parquet'] as const;
export type DatasetFormat = (typeof FORMATS)[number];

/** Inclusive bounds: numbers for numeric columns, `YYYY-MM-DD` for dates. */
export interface ColumnRange {
  readonly min?: number | string;
  readonly max?: number | string;
}

export interface DatasetColumn {
  readonly name: string;
  /** A column type as config spells it (column-types.ts): `string`, `decimal(10,2)`, ... */
  readonly type: string;
  /** Whether records may omit the value. */
  readonly nullable: boolean;
  /** For string columns: the only values allowed. */
  readonly allowedValues?: readonly string[];
  readonly range?: ColumnRange;
  /** Decimals with more fraction digits than the scale: rejected (default) or rounded half-even. */
  readonly decimalRounding?: DecimalRounding;
  /** Date and timestamp columns: `iso` (default), `epoch_seconds`, `epoch_millis` or a pattern (date-patterns.ts). */
  readonly format?: string;
  /** CSV: the header text naming this column in the file; Parquet: the file's column name; when not its name. */
  readonly source?: string;
  /** CSV without a header: the column's field, counted from 1. */
  readonly position?: number;
}

/** Firehose settings of a stream dataset. */
export interface DatasetStreamSettings {
  readonly kinesisDataStream: boolean;
  readonly bufferSizeMb: number;
  readonly bufferIntervalSeconds: number;
}

export interface Dataset {
  readonly name: string;
  readonly ingest: IngestMode;
  readonly format: DatasetFormat;
  /** For `nested_json`: the column each level of object keys becomes, outermost first. */
  readonly nestedKeys?: readonly string[];
  /** For `json` (recordPath, fields, documentFields) and `jsonl` (fields): where values are. */
  readonly json?: DatasetJsonShape;
  /** Every column, in config order. */
  readonly schema: readonly DatasetColumn[];
  /** Hive partition keys (`<key>=<value>/`), in folder order: columns, or coarser grains of dates (partitioning.ts). */
  readonly partitionColumns: readonly PartitionEntry[];
  readonly primaryKey: readonly string[];
  readonly stream?: DatasetStreamSettings;
  /** The IANA time zone of timestamps that name no offset. Default UTC. */
  readonly timeZone?: string;
  /** For `csv`: delimiter, quoting, header and value spellings. */
  readonly csv?: DatasetCsvDialect;
  /** CSV and Parquet: columns a file has that the schema lacks, and the reverse. */
  readonly drift?: DatasetDrift;
  /** Of a pulled dataset's source, what the transform needs: how API responses read, when not as the dataset's format. */
  readonly source?: { readonly api?: { readonly response?: ApiResponseReading } };
}

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: Json): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isBound = (value: Json) => value === undefined || typeof value === 'number' || typeof value === 'string';

function columnProblem(column: Json): string | undefined {
  if (!isObject(column)) return 'a column is not an object';
  const name = typeof column.name === 'string' ? column.name : undefined;
  if (!name) return 'a column has no name';
  if (typeof column.type !== 'string') return `column ${name} has no type`;
  if (typeof column.nullable !== 'boolean') return `column ${name} has no nullable flag`;
  if (column.allowedValues !== undefined && !isStringArray(column.allowedValues)) return `column ${name}: allowedValues is not a list of strings`;
  if (column.range !== undefined && (!isObject(column.range) || !isBound(column.range.min) || !isBound(column.range.max))) return `column ${name}: range is not {min, max}`;
  return undefined;
}

/**
 * What keeps `value` (decoded JSON) from being a `Dataset`, or undefined when it is one: the
 * shape the runtime relies on. The config schema checks everything else at synth.
 */
export function datasetProblem(value: Json): string | undefined {
  if (!isObject(value)) return 'not an object';
  const name = typeof value.name === 'string' && IDENTIFIER_PATTERN.test(value.name) ? value.name : undefined;
  if (!name) return `no dataset name (${IDENTIFIER_PATTERN})`;
  const problem = (text: string) => `dataset ${name}: ${text}`;
  if (!(INGEST_MODES as readonly Json[]).includes(value.ingest)) return problem(`ingest is not one of ${INGEST_MODES.join(', ')}`);
  if (!(FORMATS as readonly Json[]).includes(value.format)) return problem(`format is not one of ${FORMATS.join(', ')}`);
  if (value.nestedKeys !== undefined && !isStringArray(value.nestedKeys)) return problem('nestedKeys is not a list of column names');
  if (value.json !== undefined) {
    const shapeIssue = jsonShapeProblem(value.json);
    if (shapeIssue) return problem(shapeIssue);
  }
  if (value.format === 'json' && !Array.isArray((value.json as { recordPath?: unknown } | undefined)?.recordPath)) return problem('format json needs json.recordPath');
  const response = isObject(value.source) && isObject(value.source.api) ? value.source.api.response : undefined;
  if (response !== undefined) {
    const responseIssue = apiResponseProblem(response);
    if (responseIssue) return problem(`source.api.${responseIssue}`);
  }
  if (!Array.isArray(value.schema) || value.schema.length === 0) return problem('no schema columns');
  for (const column of value.schema) {
    const columnIssue = columnProblem(column);
    if (columnIssue) return problem(columnIssue);
  }
  if (!Array.isArray(value.partitionColumns)) return problem('partitionColumns is not a list');
  const partitionIssue = value.partitionColumns.map(partitionEntryProblem).find((issue) => issue !== undefined);
  if (partitionIssue) return problem(partitionIssue);
  if (!isStringArray(value.primaryKey)) return problem('primaryKey is not a list of column names');
  const columns = new Set((value.schema as Array<{ name: string }>).map((column) => column.name));
  const unknown = [...partitionKeysOf(value.partitionColumns as PartitionEntry[]).map((key) => key.column), ...value.primaryKey, ...(value.nestedKeys as string[] | undefined ?? []),
    ...(value.json ? jsonShapeColumns(value.json as DatasetJsonShape) : []),
    ...(response ? apiResponseColumns(response as ApiResponseReading) : [])].find((column) => !columns.has(column));
  if (unknown !== undefined) return problem(`${JSON.stringify(unknown)} is not a column of its schema`);
  return undefined;
}

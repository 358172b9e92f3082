/**
 * A dataset's configuration turned into what the transform needs at run time: Parquet column
 * specs, one converter per column, and where partition values come from.
 */
import { parseColumnType } from '../../contract/column-types';
import type { Dataset, DatasetColumn } from '../../contract/dataset';
import { type PartitionGranularity, partitionKeysOf, pathOnlyColumns } from '../../contract/partitioning';
import type { ColumnSpec } from '../parquet/column-buffer';
import { ColumnWriter, type DeclaredBounds } from './column-writers';
import { dateConverter, timestampConverter } from './date-formats';
import { RoundingCounter } from './rounding';
import { ZoneOffsets } from './time-zones';
import { type Converter, type ConverterOptions, Rejected, converterFor, parseDate } from './values';

/** A column's allowedValues and range in the units its converted values have. */
function declaredBounds(column: DatasetColumn): DeclaredBounds {
  const toComparable = (bound: number | string | undefined) =>
    (typeof bound === 'string' ? parseDate(bound) : bound);
  // Decimals are held unscaled; they are compared scaled back.
  const type = parseColumnType(column.type);
  return {
    allowed: column.allowedValues ? new Set(column.allowedValues) : undefined,
    min: toComparable(column.range?.min),
    max: toComparable(column.range?.max),
    scale: type?.kind === 'decimal' ? 10 ** type.scale : 1,
  };
}

/**
 * Enforces a column's allowedValues and range: a value outside them would land in a partition
 * that partition projection never looks at, or break a rule data quality checks, so it is
 * quarantined here with the reason instead.
 */
function withDeclaredBounds(convert: Converter, column: DatasetColumn, bounds: DeclaredBounds): Converter {
  const { allowed, min, max, scale } = bounds;
  if (!allowed && min === undefined && max === undefined) return convert;
  return (raw) => {
    const value = convert(raw);
    if (value === null || value instanceof Rejected) return value;
    if (allowed && !allowed.has(value as string)) {
      return new Rejected(`column ${column.name}: ${JSON.stringify(value)} is not one of ${column.allowedValues!.join(', ')}`);
    }
    const actual = (typeof value === 'bigint' ? Number(value) : (value as number)) / scale;
    if (min !== undefined && actual < min) return new Rejected(`column ${column.name}: ${raw} is below the minimum ${column.range!.min}`);
    if (max !== undefined && actual > max) return new Rejected(`column ${column.name}: ${raw} is above the maximum ${column.range!.max}`);
    return value;
  };
}

export interface CompiledDataset {
  readonly config: Dataset;
  readonly name: string;
  /** Every schema column, in config order. */
  readonly columns: readonly ColumnSpec[];
  readonly converters: readonly Converter[];
  /** Per column: its converter appending straight to a column buffer (see column-writers.ts). */
  readonly writers: readonly ColumnWriter[];
  readonly columnIndex: ReadonlyMap<string, number>;
  /** Values rounded by the columns with decimalRounding: round, since the dataset was compiled. */
  readonly rounding: RoundingCounter;
  /** Indexes (into columns) of the columns partition values come from, in partition order. */
  readonly partitionIndexes: readonly number[];
  /** Per partition key, in the same order: its name in the path, and its grain when coarser than the column's value. */
  readonly partitionKeys: ReadonlyArray<{ readonly name: string; readonly granularity?: PartitionGranularity }>;
  /** Indexes of the columns written to Parquet: all but those partitioned by their own value. */
  readonly dataIndexes: readonly number[];
}

/**
 * What the dataset's config adds to one column's converter: its date or timestamp format and
 * time zone, decimal rounding, and the CSV dialect's spellings of null and booleans. Compiled
 * here, once per dataset, so nothing about them is worked out per value.
 */
function converterOptions(config: Dataset, column: DatasetColumn, spec: ColumnSpec, rounding: RoundingCounter): ConverterOptions {
  const zone = config.timeZone !== undefined && config.timeZone !== 'UTC' ? zoneOffsets(config.timeZone) : undefined;
  let dateText: ConverterOptions['dateText'];
  if (spec.kind === 'date' && column.format !== undefined && column.format !== 'iso') dateText = dateConverter(column.name, column.format);
  if (spec.kind === 'timestamp' && (zone !== undefined || (column.format !== undefined && column.format !== 'iso'))) dateText = timestampConverter(column.name, column.format, zone);
  return {
    dateText,
    rounding: spec.kind === 'decimal' && column.decimalRounding === 'round' ? rounding : undefined,
    nullValues: config.csv?.nullValues,
    trueValues: config.csv?.trueValues,
    falseValues: config.csv?.falseValues,
    numbersAsText: column.format === 'epoch_seconds' || column.format === 'epoch_millis',
    zone,
  };
}

/** One ZoneOffsets (and its cache) per zone, shared by every dataset naming it. */
const zones = new Map<string, ZoneOffsets>();
function zoneOffsets(zone: string): ZoneOffsets {
  let offsets = zones.get(zone);
  if (!offsets) zones.set(zone, (offsets = new ZoneOffsets(zone)));
  return offsets;
}

export function compileDataset(config: Dataset): CompiledDataset {
  const columns: ColumnSpec[] = config.schema.map((column) => {
    const type = parseColumnType(column.type);
    if (!type) throw new Error(`dataset ${config.name}: column ${column.name} has unsupported type ${column.type}`);
    return type.kind === 'decimal'
      ? { name: column.name, kind: 'decimal', nullable: column.nullable, precision: type.precision, scale: type.scale }
      : { name: column.name, kind: type.kind, nullable: column.nullable };
  });
  const emptyIsNull = config.format === 'csv';
  const bounds = config.schema.map(declaredBounds);
  const rounding = new RoundingCounter();
  const options = config.schema.map((column, index) => converterOptions(config, column, columns[index], rounding));
  const converters = config.schema.map((column, index) => withDeclaredBounds(converterFor(columns[index], emptyIsNull, options[index]), column, bounds[index]));
  const nullTokens = config.csv?.nullValues ? new Set(config.csv.nullValues) : undefined;
  const writers = columns.map((spec, index) => new ColumnWriter(spec, converters[index], bounds[index], {
    nullTokens,
    formattedDate: options[index].dateText !== undefined,
  }));
  const columnIndex = new Map(columns.map((column, index) => [column.name, index]));
  const partitionKeys = partitionKeysOf(config.partitionColumns);
  const partitionIndexes = partitionKeys.map((key) => columnIndex.get(key.column)!);
  const pathOnly = new Set(pathOnlyColumns(config.partitionColumns).map((name) => columnIndex.get(name)!));
  return {
    config,
    name: config.name,
    columns,
    converters,
    writers,
    columnIndex,
    rounding,
    partitionIndexes,
    partitionKeys: partitionKeys.map(({ name, granularity }) => ({ name, granularity })),
    dataIndexes: columns.map((_, index) => index).filter((index) => !pathOnly.has(index)),
  };
}

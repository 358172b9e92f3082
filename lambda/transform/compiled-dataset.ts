/**
 * A dataset's configuration turned into what the transform needs at run time: Parquet column
 * specs, one converter per column, and where partition values come from.
 */
import { parseColumnType } from '../../lib/config/column-types';
import type { DatasetConfig } from '../../lib/config/lob-schema';
import type { ColumnSpec } from '../parquet/column-buffer';
import { type Converter, converterFor } from './values';

export interface CompiledDataset {
  readonly config: DatasetConfig;
  readonly name: string;
  /** Every schema column, in config order. */
  readonly columns: readonly ColumnSpec[];
  readonly converters: readonly Converter[];
  readonly columnIndex: ReadonlyMap<string, number>;
  /** Indexes (into columns) of the partition columns, in partition order. */
  readonly partitionIndexes: readonly number[];
  /** Indexes of the columns written to Parquet (all but the partition columns). */
  readonly dataIndexes: readonly number[];
}

export function compileDataset(config: DatasetConfig): CompiledDataset {
  const columns: ColumnSpec[] = config.schema.map((column) => {
    const type = parseColumnType(column.type);
    if (!type) throw new Error(`dataset ${config.name}: column ${column.name} has unsupported type ${column.type}`);
    return type.kind === 'decimal'
      ? { name: column.name, kind: 'decimal', nullable: column.nullable, precision: type.precision, scale: type.scale }
      : { name: column.name, kind: type.kind, nullable: column.nullable };
  });
  const columnIndex = new Map(columns.map((column, index) => [column.name, index]));
  const partitionIndexes = config.partitionColumns.map((name) => columnIndex.get(name)!);
  return {
    config,
    name: config.name,
    columns,
    converters: columns.map(converterFor),
    columnIndex,
    partitionIndexes,
    dataIndexes: columns.map((_, index) => index).filter((index) => !partitionIndexes.includes(index)),
  };
}

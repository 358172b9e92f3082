/**
 * How a dataset's standardized files are partitioned, as the transform writes them and the Glue
 * table declares them. A dataset's `partitionColumns` lists its partition keys, in folder order:
 *
 *   - a column name: the column's own value is the folder (`region=EMEA/`), and the column lives
 *     in the path only, not in the Parquet files;
 *   - `{ column, granularity, as }`: a date or timestamp column at a coarser grain, in a key of its
 *     own (`trade_month=2024-01/`); the column stays in the files as a regular column. A daily
 *     history then makes one folder a month instead of one a day (docs/datasets.md, "Partitions").
 */

export const PARTITION_GRANULARITIES = ['month', 'year'] as const;
export type PartitionGranularity = (typeof PARTITION_GRANULARITIES)[number];

/** A partition key derived from a date or timestamp column. */
export interface DerivedPartition {
  readonly column: string;
  readonly granularity: PartitionGranularity;
  /** The partition key's name: a new name, not a column of the schema. */
  readonly as: string;
}

export type PartitionEntry = string | DerivedPartition;

/** One partition key as the writer and the catalog see it. */
export interface PartitionKey {
  /** The key's name in the path (`<name>=<value>/`) and in the Glue table. */
  readonly name: string;
  /** The schema column its value comes from. */
  readonly column: string;
  /** Absent for a column partitioned by its own value. */
  readonly granularity?: PartitionGranularity;
}

/**
 * Per granularity: how many leading characters of an ISO date (`YYYY-MM-DD`) make the value, and
 * the matching Athena partition projection (type date) format and interval unit.
 */
export const GRANULARITY_LAYOUT: Readonly<Record<PartitionGranularity, { readonly isoLength: number; readonly projectionFormat: string; readonly intervalUnit: string }>> = {
  month: { isoLength: 7, projectionFormat: 'yyyy-MM', intervalUnit: 'MONTHS' },
  year: { isoLength: 4, projectionFormat: 'yyyy', intervalUnit: 'YEARS' },
};

export function partitionKeyOf(entry: PartitionEntry): PartitionKey {
  return typeof entry === 'string' ? { name: entry, column: entry } : { name: entry.as, column: entry.column, granularity: entry.granularity };
}

export function partitionKeysOf(entries: readonly PartitionEntry[]): PartitionKey[] {
  return entries.map(partitionKeyOf);
}

/** The columns that live in the path only: those partitioned by their own value. */
export function pathOnlyColumns(entries: readonly PartitionEntry[]): string[] {
  return entries.filter((entry): entry is string => typeof entry === 'string');
}

/** The partition value of an ISO date or timestamp (UTC) at a granularity: `2024-01` for a month. */
export function derivedPartitionValue(isoDateOrTimestamp: string, granularity: PartitionGranularity): string {
  return isoDateOrTimestamp.slice(0, GRANULARITY_LAYOUT[granularity].isoLength);
}

/** What keeps `value` (decoded JSON) from being a partition entry, or undefined when it is one. */
export function partitionEntryProblem(value: unknown): string | undefined {
  if (typeof value === 'string') return undefined;
  if (typeof value !== 'object' || value === null) return 'a partitionColumns entry is neither a column name nor {column, granularity, as}';
  const { column, granularity, as } = value as Record<string, unknown>;
  if (typeof column !== 'string' || typeof as !== 'string') return 'a derived partition has no column or no as';
  if (!(PARTITION_GRANULARITIES as readonly unknown[]).includes(granularity)) return `partition ${as}: granularity is not one of ${PARTITION_GRANULARITIES.join(', ')}`;
  return undefined;
}

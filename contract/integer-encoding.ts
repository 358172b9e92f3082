/**
 * How the Parquet writer encodes integer columns (int, bigint, date, timestamp, decimal up to 18
 * digits); the one list the config schema, the transform's settings and the writer share:
 * - 'delta' (the default): DELTA_BINARY_PACKED where that is smaller than PLAIN. Smaller files
 *   and faster writes; read by Athena, Spark (Glue, EMR), Trino, DuckDB, Arrow and hyparquet.
 * - 'plain': PLAIN only, for lakes with a reader that lacks DELTA_BINARY_PACKED (some older
 *   StarRocks, Synapse Spark and parquet-dotnet releases have been reported to).
 * Part of the contract (deploy and runtime share it), so the config schema uses it without
 * loading the writer.
 */
export const INTEGER_ENCODINGS = ['delta', 'plain'] as const;

export type IntegerEncoding = (typeof INTEGER_ENCODINGS)[number];

/** The config's default, and the writer's when it is given none. */
export const DEFAULT_INTEGER_ENCODING: IntegerEncoding = 'delta';

export function isIntegerEncoding(value: string): value is IntegerEncoding {
  return (INTEGER_ENCODINGS as readonly string[]).includes(value);
}

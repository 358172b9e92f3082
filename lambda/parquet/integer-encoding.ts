/**
 * How the Parquet writer encodes integer columns (int, bigint, date, timestamp, decimal up to 18
 * digits); the one list the config schema, the transform handler and the writer share:
 * - 'delta' (the default): DELTA_BINARY_PACKED where that is smaller than PLAIN. Smaller files
 *   and faster writes; read by Athena, Spark (Glue, EMR), Trino, DuckDB, Arrow and hyparquet.
 * - 'plain': PLAIN only, for lakes with a reader that lacks DELTA_BINARY_PACKED (some older
 *   StarRocks, Synapse Spark and parquet-dotnet releases have been reported to).
 * A module of its own so that the config schema can use it without loading the writer.
 */
export const INTEGER_ENCODINGS = ['delta', 'plain'] as const;

export type IntegerEncoding = (typeof INTEGER_ENCODINGS)[number];

export function isIntegerEncoding(value: string): value is IntegerEncoding {
  return (INTEGER_ENCODINGS as readonly string[]).includes(value);
}

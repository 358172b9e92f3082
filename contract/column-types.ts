/**
 * The column types a dataset schema may use, and their parsed form.
 *
 * One list serves config validation, Glue table declarations and the Parquet writer, so the three
 * can never disagree about what `decimal(10,2)` means.
 */

export const SIMPLE_COLUMN_TYPES = ['string', 'int', 'bigint', 'double', 'boolean', 'date', 'timestamp'] as const;
export type SimpleColumnType = (typeof SIMPLE_COLUMN_TYPES)[number];

/** Spelled the way error messages and the JSON Schema describe the accepted types. */
export const COLUMN_TYPE_CHOICES = 'string, int, bigint, double, decimal(p,s), boolean, date, timestamp';

/** Hive/Glue allows precision 1..38 and 0 <= scale <= precision. */
export const MAX_DECIMAL_PRECISION = 38;

export type ColumnType =
  | { readonly kind: SimpleColumnType }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number };

const DECIMAL_PATTERN = /^decimal\((\d+),(\d+)\)$/;

/** The spelling of every accepted type; precision and scale ranges are checked by parseColumnType. */
export const COLUMN_TYPE_PATTERN = /^(string|int|bigint|double|boolean|date|timestamp|decimal\(\d+,\d+\))$/;

/** Parses a configured type string; undefined when it is not one of the accepted types. */
export function parseColumnType(text: string): ColumnType | undefined {
  if ((SIMPLE_COLUMN_TYPES as readonly string[]).includes(text)) {
    return { kind: text as SimpleColumnType };
  }
  const decimal = DECIMAL_PATTERN.exec(text);
  if (!decimal) return undefined;
  const precision = Number(decimal[1]);
  const scale = Number(decimal[2]);
  if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale > precision) return undefined;
  return { kind: 'decimal', precision, scale };
}

/** The Hive type string Glue and Athena use for a column type. */
export function hiveTypeOf(type: ColumnType): string {
  return type.kind === 'decimal' ? `decimal(${type.precision},${type.scale})` : type.kind;
}

/** Types whose values make sensible Hive partition directory names. */
export const PARTITIONABLE_KINDS: ReadonlySet<ColumnType['kind']> = new Set(['string', 'int', 'bigint', 'date', 'boolean']);

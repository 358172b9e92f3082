/**
 * The top-level columns of a Parquet file, and how each one's values become raw values for the
 * column converters (values.ts, typed-values.ts).
 *
 * hyparquet would convert annotated values itself, but not exactly: a DECIMAL becomes a double
 * (unscaled * 10^-scale), a timestamp a Date of milliseconds. So the columns are read by their
 * physical type only (`physicalElement`: the annotations taken off) and the annotation is applied
 * here, exactly: a DECIMAL becomes its decimal text, a DATE its days, a TIMESTAMP its
 * microseconds (an instant, or a wall-clock time when not adjusted to UTC), an INT64 a number
 * when a double holds it exactly and its digits otherwise.
 *
 * Dates and timestamps of files Spark wrote in its legacy calendar carry a refusal where they would
 * be misread (spark-legacy-calendar.ts).
 *
 * Columns this cannot read as one value per row (groups, repeated fields) or whose type has no
 * column type to become (TIME, INTERVAL, BSON, untyped fixed-length binary) are `unsupported`: an
 * object whose schema columns need one is refused with that reason.
 */
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { type LegacyCalendar, legacyCalendarOf, legacyDateRefusal, legacyTimestampRefusal } from './spark-legacy-calendar';
import { ExactNumber, TypedDate, TypedTimestamp } from './typed-values';

export interface ParquetColumn {
  readonly name: string;
  /** The column's type as Parquet names it, for reasons: `INT64`, `DECIMAL(38,10)`, `TIMESTAMP(MICROS)`, ... */
  readonly typeName: string;
  /** Turns one value as hyparquet reads it by its physical type into the raw value of the converters. */
  readonly toRaw: (value: unknown) => unknown;
  /** Why its values cannot be read, when they cannot. */
  readonly unsupported?: string;
}

const utf8 = new TextDecoder();
const asNull = (value: unknown) => value ?? null;

/** The decimal text of an unscaled integer at `scale`, without trailing fraction zeros: 1250 at scale 2 is `12.5`. */
export function decimalText(unscaled: bigint | number, scale: number): string {
  const negative = unscaled < 0;
  // Numbers are exact here (INT32, or an INT64 within 2^53): their digits need no bigint.
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const integer = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${integer}${fraction === '' ? '' : `.${fraction}`}`;
}

/** A big-endian two's complement integer (DECIMAL as BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY). */
function signedBigEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return bytes.length > 0 && bytes[0] >= 0x80 ? value - (1n << BigInt(bytes.length * 8)) : value;
}

/** A 64-bit integer as a number when a double holds it exactly, else as its digits. */
function integer64(value: bigint, sourceType: string): number | ExactNumber {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : new ExactNumber(value.toString(), sourceType);
}

const MICROS_PER_UNIT = { MILLIS: 1000n, MICROS: 1n } as const;

/** Microseconds from a count of `unit`s, floored; with the sub-microsecond digits of NANOS that a timestamp cannot keep. */
function timestamp(count: bigint, unit: 'MILLIS' | 'MICROS' | 'NANOS', local: boolean, legacy: string | undefined): TypedTimestamp {
  let micros = unit === 'NANOS' ? count / 1000n : count * MICROS_PER_UNIT[unit];
  const nanos = unit === 'NANOS' ? count - micros * 1000n : 0n;
  let excess: string | undefined;
  if (nanos !== 0n) {
    if (nanos < 0n) micros -= 1n;
    excess = String((nanos + 1000n) % 1000n).padStart(3, '0');
  }
  const value = Number(micros);
  return Number.isSafeInteger(value) ? new TypedTimestamp(value, local, excess, legacyTimestampRefusal(value, legacy)) : new TypedTimestamp(NaN, local, excess);
}

function decimalColumn(element: SchemaElement): Pick<ParquetColumn, 'typeName' | 'toRaw'> {
  const scale = element.logical_type?.type === 'DECIMAL' ? element.logical_type.scale : element.scale ?? 0;
  const precision = element.logical_type?.type === 'DECIMAL' ? element.logical_type.precision : element.precision ?? 0;
  const typeName = `DECIMAL(${precision},${scale})`;
  const unscaledOf = (value: unknown): bigint | number => {
    if (value instanceof Uint8Array) return signedBigEndian(value);
    if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value);
    return value as number | bigint;
  };
  return { typeName, toRaw: (value) => (value === null || value === undefined ? null : new ExactNumber(decimalText(unscaledOf(value), scale), typeName)) };
}

function leafColumn(element: SchemaElement, legacy: LegacyCalendar): Omit<ParquetColumn, 'name'> {
  const { type, converted_type: converted, logical_type: logical } = element;
  const unsupported = (typeName: string): Omit<ParquetColumn, 'name'> => ({ typeName, toRaw: asNull, unsupported: `Parquet type ${typeName} has no column type to become` });
  if (converted === 'DECIMAL' || logical?.type === 'DECIMAL') return decimalColumn(element);
  switch (type) {
    case 'BOOLEAN':
    case 'FLOAT':
    case 'DOUBLE':
      return { typeName: type, toRaw: asNull };
    case 'INT32': {
      if (converted === 'DATE' || logical?.type === 'DATE') return { typeName: 'DATE', toRaw: (value) => (value == null ? null : new TypedDate(value as number, legacyDateRefusal(value as number, legacy.dateTime))) };
      if (converted === 'TIME_MILLIS' || logical?.type === 'TIME') return unsupported('TIME');
      const unsigned = converted === 'UINT_8' || converted === 'UINT_16' || converted === 'UINT_32' || (logical?.type === 'INTEGER' && !logical.isSigned);
      return unsigned ? { typeName: 'UINT32', toRaw: (value) => (value == null ? null : (value as number) >>> 0) } : { typeName: 'INT32', toRaw: asNull };
    }
    case 'INT64': {
      if (logical?.type === 'TIMESTAMP') {
        const { unit, isAdjustedToUTC } = logical;
        return { typeName: `TIMESTAMP(${unit})`, toRaw: (value) => (value == null ? null : timestamp(value as bigint, unit, !isAdjustedToUTC, legacy.dateTime)) };
      }
      // The legacy annotations name instants (adjusted to UTC).
      if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') {
        const unit = converted === 'TIMESTAMP_MILLIS' ? 'MILLIS' : 'MICROS';
        return { typeName: `TIMESTAMP(${unit})`, toRaw: (value) => (value == null ? null : timestamp(value as bigint, unit, false, legacy.dateTime)) };
      }
      if (converted === 'TIME_MICROS' || logical?.type === 'TIME') return unsupported('TIME');
      if (converted === 'UINT_64' || (logical?.type === 'INTEGER' && !logical.isSigned)) {
        return { typeName: 'UINT64', toRaw: (value) => (value == null ? null : integer64(BigInt.asUintN(64, value as bigint), 'UINT64')) };
      }
      return { typeName: 'INT64', toRaw: (value) => (value == null ? null : integer64(value as bigint, 'INT64')) };
    }
    // Impala's and Spark's legacy timestamps, instants: hyparquet hands them over as nanoseconds (see PARSERS).
    case 'INT96':
      return { typeName: 'INT96', toRaw: (value) => (value == null ? null : timestamp(value as bigint, 'NANOS', false, legacy.int96)) };
    case 'BYTE_ARRAY':
      if (converted === 'BSON' || logical?.type === 'BSON') return unsupported('BSON');
      // STRING (decoded by hyparquet, see physicalMetadata), ENUM, JSON, or not annotated: text, as most readers take it.
      return { typeName: 'STRING', toRaw: (value) => (value == null ? null : typeof value === 'string' ? value : utf8.decode(value as Uint8Array)) };
    case 'FIXED_LEN_BYTE_ARRAY':
      if (logical?.type === 'UUID') {
        return {
          typeName: 'UUID',
          toRaw: (value) => {
            if (value == null) return null;
            const hex = Buffer.from(value as Uint8Array).toString('hex');
            return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
          },
        };
      }
      return unsupported(logical?.type ?? converted ?? 'FIXED_LEN_BYTE_ARRAY');
    default:
      return unsupported(String(type));
  }
}

/** The file's top-level columns, in file order. */
export function parquetColumns(metadata: FileMetaData): ParquetColumn[] {
  const columns: ParquetColumn[] = [];
  const { schema } = metadata;
  const legacy = legacyCalendarOf(metadata);
  const childCount = schema[0]?.num_children ?? 0;
  let index = 1;
  for (let child = 0; child < childCount; child++) {
    const element = schema[index];
    const nested = element.num_children !== undefined && element.num_children > 0;
    if (nested || element.repetition_type === 'REPEATED') {
      columns.push({ name: element.name, typeName: element.converted_type ?? element.logical_type?.type ?? 'group', toRaw: asNull, unsupported: 'nested (a group or repeated field), not one value per row' });
    } else {
      columns.push({ name: element.name, ...leafColumn(element, legacy) });
    }
    index = nextSibling(schema, index);
  }
  return columns;
}

/** The index of the element after `index` and all its descendants. */
function nextSibling(schema: readonly SchemaElement[], index: number): number {
  let remaining = 1;
  let next = index;
  while (remaining > 0) {
    remaining += (schema[next].num_children ?? 0) - 1;
    next++;
  }
  return next;
}

/** UTF-8 text: the one annotation hyparquet converts exactly, and once per dictionary rather than per value. */
const isText = (element: SchemaElement) => element.converted_type === 'UTF8' || element.logical_type?.type === 'STRING';

/** The footer with the columns' annotations taken off, but text's: hyparquet then hands over physical values and strings. */
export function physicalMetadata(metadata: FileMetaData): FileMetaData {
  return {
    ...metadata,
    schema: metadata.schema.map((element, index) => (index === 0 || (element.num_children ?? 0) > 0 || isText(element)
      ? element
      : { ...element, converted_type: undefined, logical_type: undefined, scale: undefined, precision: undefined })),
  };
}

/** INT96 is the one type hyparquet converts even without an annotation: as nanoseconds, here, not a Date of milliseconds. */
export const PARSERS = { timestampFromNanoseconds: (nanos: bigint) => nanos };

/**
 * Converting one raw value (a CSV field or a JSON value) into the typed representation of its
 * column (see ../parquet/column-buffer.ts), exactly or not at all: a value that cannot be
 * represented without loss is rejected with the reason, never rounded.
 */
import { type ColumnKind, type ColumnSpec, type ColumnValue, MAX_NUMBER_DECIMAL_PRECISION } from '../parquet/column-buffer';

/** A rejected value: the reason, worded for the quarantine record. */
export class Rejected {
  constructor(public readonly reason: string) {}
}

export type Converter = (raw: unknown) => ColumnValue | null | Rejected;

const INT_PATTERN = /^[+-]?\d+$/;
const DECIMAL_PATTERN = /^([+-])?(\d*)(?:\.(\d*))?$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DAY_MS = 86_400_000;

const describe = (raw: unknown) => (typeof raw === 'string' ? JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw) : JSON.stringify(raw) ?? String(raw));

/** Days since 1970-01-01 of a valid calendar date, or undefined. */
export function parseDate(text: string): number | undefined {
  const match = DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return ms / DAY_MS;
}

/** Microseconds since the epoch (UTC) of an ISO-8601 timestamp, or undefined. No offset means UTC. */
export function parseTimestamp(text: string): number | undefined {
  const match = TIMESTAMP_PATTERN.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const day = parseDate(`${y}-${mo}-${d}`);
  const [hours, minutes, seconds] = [Number(h), Number(mi), Number(s ?? 0)];
  if (day === undefined || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const micros = Number((fraction ?? '').padEnd(6, '0'));
  const total = ((day * 86400 + hours * 3600 + (minutes - offsetMinutes) * 60 + seconds) * 1_000_000) + micros;
  return Number.isSafeInteger(total) ? total : undefined;
}

/** The unscaled integer of a decimal string with at most `scale` fraction digits and `precision` digits in all. */
export function parseDecimal(text: string, precision: number, scale: number): number | bigint | string {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return `not a decimal number`;
  const [, sign, integerPart, fractionPart = ''] = match;
  const fraction = fractionPart.replace(/0+$/, '');
  if (fraction.length > scale) return `has more than ${scale} decimal places`;
  const integer = integerPart.replace(/^0+/, '');
  if (integer.length > precision - scale) return `has more than ${precision - scale} digits before the decimal point`;
  const digits = `${integer}${fraction.padEnd(scale, '0')}` || '0';
  if (precision <= MAX_NUMBER_DECIMAL_PRECISION) {
    const value = Number(digits);
    return sign === '-' && value !== 0 ? -value : value;
  }
  const value = BigInt(digits);
  return sign === '-' ? -value : value;
}

function fromText(kind: ColumnKind, spec: ColumnSpec, text: string): ColumnValue | Rejected {
  switch (kind) {
    case 'string':
      return text;
    case 'int': {
      const value = Number(text);
      return INT_PATTERN.test(text) && value >= INT32_MIN && value <= INT32_MAX ? value : new Rejected(`expected an int (32-bit integer), got ${describe(text)}`);
    }
    case 'bigint': {
      if (!INT_PATTERN.test(text)) return new Rejected(`expected a bigint (64-bit integer), got ${describe(text)}`);
      const value = BigInt(text);
      return value >= INT64_MIN && value <= INT64_MAX ? value : new Rejected(`expected a bigint (64-bit integer), got ${describe(text)}`);
    }
    case 'double': {
      const value = text.trim() === '' ? NaN : Number(text);
      return Number.isFinite(value) ? value : new Rejected(`expected a finite double, got ${describe(text)}`);
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      return new Rejected(`expected a boolean (true/false), got ${describe(text)}`);
    }
    case 'date': {
      const value = parseDate(text);
      return value === undefined ? new Rejected(`expected a date as YYYY-MM-DD, got ${describe(text)}`) : value;
    }
    case 'timestamp': {
      const value = parseTimestamp(text);
      return value === undefined ? new Rejected(`expected an ISO-8601 timestamp, got ${describe(text)}`) : value;
    }
    case 'decimal': {
      const value = parseDecimal(text, spec.precision!, spec.scale!);
      return typeof value === 'string' ? new Rejected(`expected a decimal(${spec.precision},${spec.scale}): ${describe(text)} ${value}`) : value;
    }
  }
}

/**
 * The converter of one column. CSV fields arrive as strings (empty means null); JSON values keep
 * their JSON type, and numbers or booleans are accepted where the column's type matches.
 */
export function converterFor(spec: ColumnSpec): Converter {
  const missing = spec.nullable ? null : new Rejected(`missing value for non-null column ${spec.name}`);
  return (raw) => {
    if (raw === null || raw === undefined || raw === '') return missing;
    let text: string;
    switch (typeof raw) {
      case 'string':
        text = raw;
        break;
      case 'number':
        if (spec.kind === 'string' || spec.kind === 'date' || spec.kind === 'timestamp' || spec.kind === 'boolean') {
          return new Rejected(`expected ${spec.kind} for column ${spec.name}, got number ${raw}`);
        }
        if (spec.kind === 'double') return Number.isFinite(raw) ? raw : new Rejected(`expected a finite double for column ${spec.name}`);
        text = String(raw);
        if (/e/i.test(text)) return new Rejected(`column ${spec.name}: number ${text} is outside exact decimal range`);
        break;
      case 'boolean':
        return spec.kind === 'boolean' ? raw : new Rejected(`expected ${spec.kind} for column ${spec.name}, got boolean ${raw}`);
      default:
        return new Rejected(`expected ${spec.kind} for column ${spec.name}, got ${Array.isArray(raw) ? 'an array' : typeof raw}`);
    }
    const value = fromText(spec.kind, spec, text);
    return value instanceof Rejected ? new Rejected(`column ${spec.name}: ${value.reason}`) : value;
  };
}

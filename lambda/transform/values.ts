/**
 * Converting one raw value (a CSV field, a JSON value or a Parquet value, typed-values.ts) into
 * the typed representation of its column (see ../parquet/column-buffer.ts), exactly or not at
 * all: a value that cannot be represented without loss is rejected with the reason, unless its
 * column's policy says to round it (decimalRounding: round, see rounding.ts), and then the
 * rounding is counted.
 */
import type { ColumnKind, ColumnSpec, ColumnValue } from '../parquet/column-buffer';
import { roundHalfEven, type RoundingCounter } from './rounding';
import type { ZoneOffsets } from './time-zones';
import { ExactNumber, TypedDate, TypedTimestamp } from './typed-values';

/** A rejected value: the reason, worded for the quarantine record. */
export class Rejected {
  constructor(public readonly reason: string) {}
}

export type Converter = (raw: unknown) => ColumnValue | null | Rejected;

const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const describe = (raw: unknown) => (typeof raw === 'string' ? JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw) : JSON.stringify(raw) ?? String(raw));

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

const digit = (text: string, index: number) => text.charCodeAt(index) - 48;

/** Days since 1970-01-01 of a valid YYYY-MM-DD calendar date, or undefined. */
export function parseDate(text: string): number | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  for (const index of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const d = digit(text, index);
    if (d < 0 || d > 9) return undefined;
  }
  const year = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const month = digit(text, 5) * 10 + digit(text, 6);
  const day = digit(text, 8) * 10 + digit(text, 9);
  return civilDays(year, month, day);
}

/** Days since 1970-01-01 of year-month-day when it is a calendar date, else undefined. */
export function civilDays(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return undefined;
  return daysFromCivil(year, month, day);
}

/**
 * Timestamps are microseconds since 1970 held in doubles, exact only up to 2^53: about 285 years
 * either side of 1970. Worded for the quarantine reason of a timestamp outside them.
 */
export const TIMESTAMP_RANGE_REASON = 'is outside the years a timestamp can hold (1685-06 to 2255-07: microseconds since 1970 beyond 2^53)';

/**
 * Microseconds since the epoch (UTC) of an ISO-8601 timestamp, or undefined; NaN when it is a
 * valid timestamp outside the range microseconds can hold exactly (TIMESTAMP_RANGE_REASON). No
 * offset means UTC, or `zone`'s wall-clock time when given.
 */
export function parseTimestamp(text: string, zone?: ZoneOffsets): number | undefined {
  const match = TIMESTAMP_PATTERN.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const day = parseDate(`${y}-${mo}-${d}`);
  const [hours, minutes, seconds] = [Number(h), Number(mi), Number(s ?? 0)];
  if (day === undefined || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  let offsetMinutes: number | undefined;
  if (offset && offset.toUpperCase() !== 'Z') {
    const digits = offset.replace(':', '');
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  } else if (offset) {
    offsetMinutes = 0;
  }
  return timestampMicros(day, hours, minutes, seconds, Number((fraction ?? '').padEnd(6, '0')), offsetMinutes, zone);
}

/**
 * Microseconds since the epoch of a time of day on `day` (days since 1970) at `offsetMinutes`
 * east of UTC, or, with no offset, in `zone` (UTC without one); NaN when out of range.
 */
export function timestampMicros(day: number, hours: number, minutes: number, seconds: number, micros: number, offsetMinutes: number | undefined, zone?: ZoneOffsets): number {
  let millis = (day * 86400 + hours * 3600 + minutes * 60 + seconds) * 1000;
  if (offsetMinutes !== undefined) millis -= offsetMinutes * 60_000;
  else if (zone !== undefined) millis = zone.toUtc(millis);
  const total = millis * 1000 + micros;
  return Number.isSafeInteger(total) ? total : NaN;
}

/** Unscaled integers of up to 15 digits are exact as doubles; longer ones become bigints. */
export const MAX_NUMBER_DIGITS = 15;
export const POWERS_OF_TEN = Array.from({ length: 39 }, (_, exponent) => 10 ** exponent);

/**
 * The unscaled integer of a decimal string with at most `scale` fraction digits and `precision`
 * digits in all (trailing fraction zeros do not count), or the reason it is not one.
 */
export function parseDecimal(text: string, precision: number, scale: number): number | bigint | string {
  const length = text.length;
  let index = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 || first === 43) { negative = first === 45; index = 1; }
  let integerDigits = 0;
  let fractionDigits = 0;
  let significantDigits = 0;
  let value = 0;
  let sawDigit = false;
  let point = -1;
  let pendingZeros = 0; // fraction zeros not yet known to be significant
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === 46) {
      if (point !== -1) return 'not a decimal number';
      point = index;
      continue;
    }
    const d = code - 48;
    if (d < 0 || d > 9) return 'not a decimal number';
    sawDigit = true;
    if (point === -1) {
      if (integerDigits === 0 && d === 0) continue; // leading zeros
      integerDigits++;
    } else if (d === 0) {
      pendingZeros++;
      continue;
    } else {
      fractionDigits += pendingZeros + 1;
      if (pendingZeros > 0) {
        significantDigits += pendingZeros;
        value *= POWERS_OF_TEN[pendingZeros];
        pendingZeros = 0;
      }
    }
    value = value * 10 + d;
    significantDigits++;
  }
  if (!sawDigit) return 'not a decimal number';
  if (fractionDigits > scale) return `has more than ${scale} decimal places`;
  if (integerDigits > precision - scale) return `has more than ${precision - scale} digits before the decimal point`;
  const padding = scale - fractionDigits;
  if (significantDigits + padding <= MAX_NUMBER_DIGITS) {
    const unscaled = value * POWERS_OF_TEN[padding];
    return negative && unscaled !== 0 ? -unscaled : unscaled;
  }
  // Too many digits for a double: redo it exactly with bigints (rare).
  const body = negative || first === 43 ? text.slice(1) : text;
  const [integerPart, fractionPart = ''] = body.split('.');
  const unscaled = BigInt(`${integerPart || '0'}${fractionPart.slice(0, fractionDigits)}`) * 10n ** BigInt(padding);
  return negative ? -unscaled : unscaled;
}

/**
 * parseDecimal's fast path for the plain form nearly every value has (`-123.45`): digits with at
 * most one point and an optional minus, no more than `scale` fraction digits, fewer integer digits
 * than `integerLimit` (10^(precision - scale)) allows, and at most 15 digits once scaled, so the
 * arithmetic is exact in a double. Returns the unscaled integer exactly as parseDecimal would, or
 * NaN for anything else, for which parseDecimal decides (it accepts or explains).
 */
export function parseDecimalFast(text: string, scale: number, integerLimit: number): number {
  const length = text.length;
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  let index = start;
  let value = 0;
  let code = 0;
  for (; index < length; index++) {
    code = text.charCodeAt(index) - 48;
    if (code < 0 || code > 9) break;
    value = value * 10 + code;
  }
  if (value >= integerLimit) return NaN;
  let fractionDigits = 0;
  if (index < length) {
    if (code !== -2) return NaN; // only a '.' may follow the integer digits
    const point = index;
    for (index++; index < length; index++) {
      code = text.charCodeAt(index) - 48;
      if (code < 0 || code > 9) return NaN;
      value = value * 10 + code;
    }
    fractionDigits = length - point - 1;
    if (fractionDigits > scale || length - start === 1) return NaN; // too precise, or a lone '.'
  }
  const digits = length - start - (fractionDigits > 0 || code === -2 ? 1 : 0);
  if (digits === 0 || digits + scale - fractionDigits > MAX_NUMBER_DIGITS) return NaN;
  value *= POWERS_OF_TEN[scale - fractionDigits];
  return start === 1 && value !== 0 ? -value : value;
}

/** A 64-bit integer from its digits: a double when exact, else a bigint; undefined when not one. */
export function parseInteger(text: string): number | bigint | undefined {
  const length = text.length;
  let index = 0;
  const first = text.charCodeAt(0);
  const negative = first === 45;
  if (negative || first === 43) index = 1;
  if (index === length) return undefined;
  let value = 0;
  for (let i = index; i < length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    value = value * 10 + d;
  }
  if (value <= Number.MAX_SAFE_INTEGER) return negative && value !== 0 ? -value : value;
  const big = BigInt(text);
  return big >= INT64_MIN && big <= INT64_MAX ? big : undefined;
}

/** Converts a string to a column value, or explains why it cannot. */
export type TextConverter = (text: string) => ColumnValue | Rejected;

/** What a dataset's config adds to a column's type when reading its values (compiled-dataset.ts). */
export interface ConverterOptions {
  /** Reads date and timestamp text (date-formats.ts) in place of ISO-8601. */
  readonly dateText?: TextConverter;
  /** For decimals: round half-even to the scale (rounding.ts), counting here, instead of rejecting. */
  readonly rounding?: RoundingCounter;
  /** Spellings of true and false (compared case-insensitively); default true/1 and false/0. */
  readonly trueValues?: readonly string[];
  readonly falseValues?: readonly string[];
  /** CSV: field texts that mean null (the empty field always does). */
  readonly nullValues?: readonly string[];
  /** Epoch formats: JSON numbers are read as their digits. */
  readonly numbersAsText?: boolean;
  /** The dataset's time zone, when not UTC: where a typed timestamp that names no zone was taken. */
  readonly zone?: ZoneOffsets;
}

function textConverter(spec: ColumnSpec, options: ConverterOptions): TextConverter {
  const name = spec.name;
  switch (spec.kind) {
    case 'string':
      return (text) => text;
    case 'int':
      return (text) => {
        const value = parseInteger(text);
        return typeof value === 'number' && value >= INT32_MIN && value <= INT32_MAX ? value : new Rejected(`column ${name}: expected an int (32-bit integer), got ${describe(text)}`);
      };
    case 'bigint':
      return (text) => parseInteger(text) ?? new Rejected(`column ${name}: expected a bigint (64-bit integer), got ${describe(text)}`);
    case 'double':
      return (text) => {
        const value = text.trim() === '' ? NaN : Number(text);
        return Number.isFinite(value) ? value : new Rejected(`column ${name}: expected a finite double, got ${describe(text)}`);
      };
    case 'boolean': {
      const trueValues = new Set((options.trueValues ?? ['true', '1']).map((value) => value.toLowerCase()));
      const falseValues = new Set((options.falseValues ?? ['false', '0']).map((value) => value.toLowerCase()));
      const expected = `${[...trueValues].join('/')} or ${[...falseValues].join('/')}`;
      return (text) => {
        const lower = text.toLowerCase();
        if (trueValues.has(lower)) return true;
        if (falseValues.has(lower)) return false;
        return new Rejected(`column ${name}: expected a boolean (${expected}), got ${describe(text)}`);
      };
    }
    case 'date':
      return options.dateText ?? ((text) => parseDate(text) ?? new Rejected(`column ${name}: expected a date as YYYY-MM-DD, got ${describe(text)}`));
    case 'timestamp':
      return options.dateText ?? ((text) => {
        const value = parseTimestamp(text);
        if (value === undefined) return new Rejected(`column ${name}: expected an ISO-8601 timestamp, got ${describe(text)}`);
        return Number.isNaN(value) ? new Rejected(`column ${name}: ${describe(text)} ${TIMESTAMP_RANGE_REASON}`) : value;
      });
    case 'decimal': {
      const { precision, scale } = spec as Required<ColumnSpec>;
      const counter = options.rounding;
      return (text) => {
        let value = parseDecimal(text, precision, scale);
        if (typeof value === 'string' && counter !== undefined) {
          const rounded = roundHalfEven(text, scale);
          if (rounded !== undefined) {
            value = parseDecimal(rounded, precision, scale);
            if (typeof value !== 'string') counter.count++;
            else value = `${value} once rounded half-even to ${scale} places (${rounded})`;
          }
        }
        return typeof value === 'string' ? new Rejected(`column ${name}: expected a decimal(${precision},${scale}): ${describe(text)} ${value}`) : value;
      };
    }
  }
}

/**
 * The converter of one column. CSV fields arrive as strings and an empty field means null
 * (`emptyIsNull`); JSON values keep their JSON type, so an empty JSON string stays an empty string
 * in a string column, and numbers or booleans are accepted where the column's type matches.
 */
export function converterFor(spec: ColumnSpec, emptyIsNull = false, options: ConverterOptions = {}): Converter {
  const missing = spec.nullable ? null : new Rejected(`missing value for non-null column ${spec.name}`);
  const fromText = textConverter(spec, options);
  const kind: ColumnKind = spec.kind;
  const emptyText = emptyIsNull || kind !== 'string' ? missing : '';
  const nullTokens = options.nullValues && options.nullValues.length > 0 ? new Set(options.nullValues) : undefined;
  const numbersAsText = options.numbersAsText === true;
  // Typed values (typed-values.ts) follow the rules of JSON numbers and of date and timestamp text.
  const fromExactNumber = (raw: ExactNumber): ColumnValue | Rejected => {
    if (kind === 'double') {
      const value = Number(raw.text);
      return Number.isFinite(value) ? value : new Rejected(`column ${spec.name}: expected a finite double, got ${raw.sourceType} ${raw.text}`);
    }
    if (kind === 'string' || kind === 'boolean' || ((kind === 'date' || kind === 'timestamp') && !numbersAsText)) {
      return new Rejected(`column ${spec.name}: expected ${kind}, got ${raw.sourceType} ${raw.text}`);
    }
    const value = fromText(raw.text);
    return value instanceof Rejected ? new Rejected(`${value.reason} (${raw.sourceType})`) : value;
  };
  const fromTimestamp = (raw: TypedTimestamp): ColumnValue | Rejected => {
    if (kind !== 'timestamp') return new Rejected(`column ${spec.name}: expected ${kind}, got timestamp ${raw}`);
    if (raw.refusal !== undefined) return new Rejected(`column ${spec.name}: ${raw} is ${raw.refusal}`);
    if (raw.excess !== undefined) return new Rejected(`column ${spec.name}: ${raw} is more precise than the microseconds a timestamp holds`);
    if (Number.isNaN(raw.micros)) return new Rejected(`column ${spec.name}: ${raw} ${TIMESTAMP_RANGE_REASON}`);
    if (!raw.local || options.zone === undefined) return raw.micros;
    const millis = Math.floor(raw.micros / 1000);
    const micros = options.zone.toUtc(millis) * 1000 + (raw.micros - millis * 1000);
    return Number.isSafeInteger(micros) ? micros : new Rejected(`column ${spec.name}: ${raw} ${TIMESTAMP_RANGE_REASON}`);
  };
  return (raw) => {
    if (typeof raw === 'string') return raw === '' ? emptyText : nullTokens !== undefined && nullTokens.has(raw) ? missing : fromText(raw);
    if (raw === null || raw === undefined) return missing;
    if (typeof raw === 'object' && !Array.isArray(raw)) {
      if (raw instanceof ExactNumber) return fromExactNumber(raw);
      if (raw instanceof TypedDate) {
        if (kind !== 'date') return new Rejected(`column ${spec.name}: expected ${kind}, got date ${raw}`);
        return raw.refusal === undefined ? raw.days : new Rejected(`column ${spec.name}: ${raw} is ${raw.refusal}`);
      }
      if (raw instanceof TypedTimestamp) return fromTimestamp(raw);
    }
    switch (typeof raw) {
      case 'number': {
        if (kind === 'double') return Number.isFinite(raw) ? raw : new Rejected(`column ${spec.name}: expected a finite double`);
        if (numbersAsText && Number.isInteger(raw) && Number.isSafeInteger(raw)) return fromText(String(raw));
        if (kind === 'string' || kind === 'date' || kind === 'timestamp' || kind === 'boolean') {
          return new Rejected(`column ${spec.name}: expected ${kind}, got number ${raw}`);
        }
        const text = String(raw);
        if (/e/i.test(text)) return new Rejected(`column ${spec.name}: number ${text} is outside the exact decimal range`);
        return fromText(text);
      }
      case 'boolean':
        return kind === 'boolean' ? raw : new Rejected(`column ${spec.name}: expected ${kind}, got boolean ${raw}`);
      default:
        return new Rejected(`column ${spec.name}: expected ${kind}, got ${Array.isArray(raw) ? 'an array' : typeof raw}`);
    }
  };
}

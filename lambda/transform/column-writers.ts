/**
 * Per-column writers: convert one raw value and append it straight to the column's buffer, with
 * no intermediate row of converted values and no result object per value.
 *
 * Each writer has a fast path for the value that nearly every record holds (a non-empty CSV field
 * that parses and is within the column's declared bounds) and otherwise defers to the column's
 * converter (values.ts plus the declared bounds), which decides everything else: nulls, JSON
 * types, rejections and their reasons. The fast path uses the same parse functions and the same
 * bounds arithmetic as the converter, and only appends when the converter would accept the value
 * with the same result, so the two cannot disagree (test/transform/column-writers.test.ts checks).
 *
 * Numeric writers of CSV fields take the number the tokenizer read in passing (scanned-numbers.ts)
 * rather than parsing the text again; a field it could not read that way takes the paths above.
 */
import type { ColumnBuffer, ColumnSpec } from '../parquet/column-buffer';
import type { ScannedNumbers } from './scanned-numbers';
import * as values from './values';
import { type Converter, Rejected } from './values';

/*
 * The parse functions and constants, read once: run unbundled (tsx, ts-jest), each call through an import reads
 * it off the module object, once per value of every row. Bundled, this changes nothing.
 */
const { parseDate, parseDecimalFast, parseInteger, MAX_NUMBER_DIGITS, POWERS_OF_TEN } = values;

/**
 * Appends the converted value of `raw` to `buffer` and returns undefined, or returns why it was
 * rejected and appends nothing. `numbers`, when given, holds the number scanned from the CSV field
 * at position `field` (the field `raw` is).
 */
export type ColumnWriter = (raw: unknown, buffer: ColumnBuffer, numbers?: ScannedNumbers, field?: number) => string | undefined;

/** Column kinds whose writers take the number scanned from a CSV field (readCsv asks the tokenizer for them). */
export const SCANNED_KINDS: ReadonlySet<ColumnSpec['kind']> = new Set(['decimal', 'int', 'bigint']);

/** Unscaled decimals below this are exact as doubles and kept as numbers, as parseDecimal keeps them. */
const EXACT_UNSCALED_LIMIT = 10 ** MAX_NUMBER_DIGITS;

/**
 * The unscaled value of a scanned decimal field, or NaN when the writer must read the text: not
 * scanned, more fraction digits than the scale, an integer part of more than precision - scale
 * digits (`integerLimit` is 10^(precision - scale)), or an unscaled value too long to be exact.
 * digits * 10^(scale - places) is exact whenever the result is below 10^15, and rounds to at
 * least 10^15 otherwise, so the last test is exact too.
 */
function scannedDecimal(numbers: ScannedNumbers, field: number, scale: number, integerLimit: number): number {
  const digits = numbers.digits[field];
  const fraction = numbers.fractionDigits[field];
  const places = fraction < 0 ? 0 : fraction;
  if (places > scale) return NaN;
  const unscaled = digits * POWERS_OF_TEN[scale - places];
  // The integer part is below integerLimit exactly when all the digits are below integerLimit * 10^places.
  if (Math.abs(digits) < integerLimit * POWERS_OF_TEN[places] && Math.abs(unscaled) < EXACT_UNSCALED_LIMIT) return unscaled;
  return NaN;
}

/** A column's allowedValues and range, as the converter enforces them (see compiled-dataset.ts). */
export interface DeclaredBounds {
  readonly allowed?: ReadonlySet<string>;
  /** Inclusive, in the column's unit: days since epoch for dates, the decimal's value for decimals. */
  readonly min?: number;
  readonly max?: number;
  /** 10^scale for decimals (held unscaled), else 1. */
  readonly scale: number;
}

/** The converter's way: handles every value, including the ones the fast paths leave to it. */
function viaConverter(convert: Converter): ColumnWriter {
  return (raw, buffer) => {
    const value = convert(raw);
    if (value instanceof Rejected) return value.reason;
    buffer.push(value);
    return undefined;
  };
}

export function columnWriterFor(spec: ColumnSpec, convert: Converter, bounds: DeclaredBounds): ColumnWriter {
  const general = viaConverter(convert);
  const { min, max, scale, allowed } = bounds;
  const lowest = min ?? -Infinity;
  const highest = max ?? Infinity;
  switch (spec.kind) {
    case 'decimal': {
      const decimalScale = spec.scale!;
      const integerLimit = 10 ** (spec.precision! - decimalScale);
      // The value from the scanned number, else from the text, else NaN (not in plain form).
      const fast = (raw: unknown, numbers: ScannedNumbers | undefined, field: number | undefined) => {
        if (numbers !== undefined && field! >= 0) return scannedDecimal(numbers, field!, decimalScale, integerLimit);
        return typeof raw === 'string' ? parseDecimalFast(raw, decimalScale, integerLimit) : NaN;
      };
      if (min === undefined && max === undefined) {
        // Unbounded (most decimal columns): no scaling back to compare.
        return (raw, buffer, numbers, field) => {
          const value = fast(raw, numbers, field);
          if (value === value) { // not NaN
            buffer.pushNumber(value);
            return undefined;
          }
          return general(raw, buffer);
        };
      }
      return (raw, buffer, numbers, field) => {
        const value = fast(raw, numbers, field);
        // NaN (not the plain form) fails both comparisons.
        if (value / scale >= lowest && value / scale <= highest) {
          buffer.pushNumber(value);
          return undefined;
        }
        return general(raw, buffer);
      };
    }
    case 'date':
      return (raw, buffer) => {
        if (typeof raw === 'string') {
          const value = parseDate(raw);
          if (value !== undefined && value >= lowest && value <= highest) {
            buffer.pushNumber(value);
            return undefined;
          }
        }
        return general(raw, buffer);
      };
    case 'bigint':
    case 'int': {
      const [smallest, largest] = spec.kind === 'int' ? [-2147483648, 2147483647] : [-Infinity, Infinity];
      return (raw, buffer, numbers, field) => {
        let value: number | bigint | undefined;
        if (numbers !== undefined && field! >= 0) {
          // A scanned integer has no point; NaN (not scanned) fails the comparisons below.
          value = numbers.fractionDigits[field!] === -1 ? numbers.digits[field!] : NaN;
        } else if (typeof raw === 'string' && raw !== '') {
          value = parseInteger(raw);
        }
        if (typeof value === 'number' && value >= smallest && value <= largest && value >= lowest && value <= highest) {
          buffer.pushNumber(value);
          return undefined;
        }
        return general(raw, buffer);
      };
    }
    case 'string':
      return (raw, buffer) => {
        if (typeof raw === 'string' && raw !== '' && (allowed === undefined || allowed.has(raw))) {
          buffer.pushString(raw);
          return undefined;
        }
        return general(raw, buffer);
      };
    default:
      // double, boolean, timestamp: less common in the lake's feeds; the converter is fast enough.
      return general;
  }
}

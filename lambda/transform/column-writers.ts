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

/** Writer kinds: which fast path `write` takes. */
const enum FastPath { None, Decimal, BoundedDecimal, Date, Integer, String }

/**
 * One column's writer. One class whose `write` branches on the column's kind, rather than a
 * closure per kind: the row loop calls every column's writer from one call site, and V8 inlines a
 * call there only while the site has seen a single function. With a closure per kind it saw
 * several and called each; a method of one class is one function, which V8 inlines into the loop
 * (`--trace-turbo-inlining` shows it). The benchmark could not tell the two apart, though.
 */
export class ColumnWriter {
  private readonly path: FastPath;
  private readonly lowest: number;
  private readonly highest: number;
  private readonly decimalScale: number;
  private readonly integerLimit: number;
  /** 10^scale of a bounded decimal: its unscaled value is compared after dividing by this. */
  private readonly boundsScale: number;
  private readonly smallest: number;
  private readonly largest: number;
  private readonly allowed: ReadonlySet<string> | undefined;

  constructor(spec: ColumnSpec, private readonly convert: Converter, bounds: DeclaredBounds) {
    const { min, max, scale, allowed } = bounds;
    this.lowest = min ?? -Infinity;
    this.highest = max ?? Infinity;
    this.boundsScale = scale;
    this.allowed = allowed;
    this.decimalScale = spec.scale ?? 0;
    this.integerLimit = spec.kind === 'decimal' ? 10 ** (spec.precision! - spec.scale!) : 0;
    this.smallest = spec.kind === 'int' ? -2147483648 : -Infinity;
    this.largest = spec.kind === 'int' ? 2147483647 : Infinity;
    switch (spec.kind) {
      // Unbounded decimals (most decimal columns) skip scaling back to compare.
      case 'decimal': this.path = min === undefined && max === undefined ? FastPath.Decimal : FastPath.BoundedDecimal; break;
      case 'date': this.path = FastPath.Date; break;
      case 'int': case 'bigint': this.path = FastPath.Integer; break;
      case 'string': this.path = FastPath.String; break;
      // double, boolean, timestamp: less common in the lake's feeds; the converter is fast enough.
      default: this.path = FastPath.None;
    }
  }

  /**
   * Appends the converted value of `raw` to `buffer` and returns undefined, or returns why it was
   * rejected and appends nothing. `numbers`, when given, holds the number scanned from the CSV
   * field at position `field` (the field `raw` is).
   */
  public write(raw: unknown, buffer: ColumnBuffer, numbers?: ScannedNumbers, field?: number): string | undefined {
    switch (this.path) {
      case FastPath.Decimal: {
        const value = this.decimalValue(raw, numbers, field);
        if (value === value) { // not NaN
          buffer.pushNumber(value);
          return undefined;
        }
        break;
      }
      case FastPath.BoundedDecimal: {
        const value = this.decimalValue(raw, numbers, field);
        const scaled = value / this.boundsScale;
        // NaN (not the plain form) fails both comparisons.
        if (scaled >= this.lowest && scaled <= this.highest) {
          buffer.pushNumber(value);
          return undefined;
        }
        break;
      }
      case FastPath.Date:
        if (typeof raw === 'string') {
          const value = parseDate(raw);
          if (value !== undefined && value >= this.lowest && value <= this.highest) {
            buffer.pushNumber(value);
            return undefined;
          }
        }
        break;
      case FastPath.Integer: {
        let value: number | bigint | undefined;
        if (numbers !== undefined && field! >= 0) {
          // A scanned integer has no point; NaN (not scanned) fails the comparisons below.
          value = numbers.fractionDigits[field!] === -1 ? numbers.digits[field!] : NaN;
        } else if (typeof raw === 'string' && raw !== '') {
          value = parseInteger(raw);
        }
        if (typeof value === 'number' && value >= this.smallest && value <= this.largest && value >= this.lowest && value <= this.highest) {
          buffer.pushNumber(value);
          return undefined;
        }
        break;
      }
      case FastPath.String:
        if (typeof raw === 'string' && raw !== '' && (this.allowed === undefined || this.allowed.has(raw))) {
          buffer.pushString(raw);
          return undefined;
        }
        break;
      default:
        break;
    }
    return this.viaConverter(raw, buffer);
  }

  /** A decimal's unscaled value from the scanned number, else from the text, else NaN (not in plain form). */
  private decimalValue(raw: unknown, numbers: ScannedNumbers | undefined, field: number | undefined): number {
    if (numbers !== undefined && field! >= 0) return scannedDecimal(numbers, field!, this.decimalScale, this.integerLimit);
    return typeof raw === 'string' ? parseDecimalFast(raw, this.decimalScale, this.integerLimit) : NaN;
  }

  /** The converter's way: handles every value, including the ones the fast paths leave to it. */
  private viaConverter(raw: unknown, buffer: ColumnBuffer): string | undefined {
    const value = this.convert(raw);
    if (value instanceof Rejected) return value.reason;
    buffer.push(value);
    return undefined;
  }
}

export function columnWriterFor(spec: ColumnSpec, convert: Converter, bounds: DeclaredBounds): ColumnWriter {
  return new ColumnWriter(spec, convert, bounds);
}

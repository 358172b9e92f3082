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

/** A column's allowedValues and range, as the converter enforces them (see compiled-dataset.ts). */
export interface DeclaredBounds {
  readonly allowed?: ReadonlySet<string>;
  /** Inclusive, in the column's unit: days since epoch for dates, the decimal's value for decimals. */
  readonly min?: number;
  readonly max?: number;
  /** 10^scale for decimals (held unscaled), else 1. */
  readonly scale: number;
}

/** What a dataset's config changes about a column's fast path (compiled-dataset.ts). */
export interface WriterDialect {
  /** CSV null tokens other than the empty field: never written as strings. */
  readonly nullTokens?: ReadonlySet<string>;
  /** A date column read in a configured format: its text is the converter's to read, not parseDate's. */
  readonly formattedDate?: boolean;
}

/** Writer kinds: which fast path `write` takes. */
const enum FastPath { None, Decimal, BoundedDecimal, Date, Integer, String }

/**
 * One column's writer. One class whose `write` branches on the column's kind, rather than a
 * closure per kind: the row loop calls every column's writer from one call site, and V8 inlines a
 * call there only while the site has seen a single function. With a closure per kind it saw
 * several and called each; a method of one class is one function, which V8 inlines into the loop
 * (`--trace-turbo-inlining` shows it). The gain is within the benchmark's noise; one class is
 * kept because it keeps that call site inlinable as column kinds are added.
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
  private readonly nullTokens: ReadonlySet<string> | undefined;

  constructor(spec: ColumnSpec, private readonly convert: Converter, bounds: DeclaredBounds, dialect: WriterDialect = {}) {
    const { min, max, scale, allowed } = bounds;
    this.lowest = min ?? -Infinity;
    this.highest = max ?? Infinity;
    this.boundsScale = scale;
    this.allowed = allowed;
    this.nullTokens = dialect.nullTokens;
    this.decimalScale = spec.scale ?? 0;
    this.integerLimit = spec.kind === 'decimal' ? 10 ** (spec.precision! - spec.scale!) : 0;
    this.smallest = spec.kind === 'int' ? -2147483648 : -Infinity;
    this.largest = spec.kind === 'int' ? 2147483647 : Infinity;
    switch (spec.kind) {
      // Unbounded decimals (most decimal columns) skip scaling back to compare.
      case 'decimal': this.path = min === undefined && max === undefined ? FastPath.Decimal : FastPath.BoundedDecimal; break;
      case 'date': this.path = dialect.formattedDate ? FastPath.None : FastPath.Date; break;
      case 'int': case 'bigint': this.path = FastPath.Integer; break;
      case 'string': this.path = FastPath.String; break;
      // double, boolean, timestamp: less common in the lake's feeds; the converter is fast enough.
      default: this.path = FastPath.None;
    }
  }

  /**
   * Appends the converted value of `raw` to `buffer` and returns undefined, or returns why it was
   * rejected and appends nothing. `numbers`, when given, holds the number scanned from the CSV
   * field at position `field` (the field `raw` is, undefined when it read as a number).
   */
  public write(raw: unknown, buffer: ColumnBuffer, numbers?: ScannedNumbers, field?: number): string | undefined {
    switch (this.path) {
      case FastPath.Decimal:
      case FastPath.BoundedDecimal:
        if (numbers !== undefined && field! >= 0 ? this.appendsScannedDecimal(numbers, field!, buffer) : this.appendsDecimalText(raw, buffer)) return undefined;
        break;
      case FastPath.Date:
        if (typeof raw === 'string') {
          const value = parseDate(raw);
          if (value !== undefined && value >= this.lowest && value <= this.highest) {
            buffer.pushNumber(value);
            return undefined;
          }
        }
        break;
      case FastPath.Integer:
        if (numbers !== undefined && field! >= 0 ? this.appendsScannedInteger(numbers, field!, buffer) : this.appendsIntegerText(raw, buffer)) return undefined;
        break;
      case FastPath.String:
        if (typeof raw === 'string' && raw !== '' && (this.allowed === undefined || this.allowed.has(raw)) && (this.nullTokens === undefined || !this.nullTokens.has(raw))) {
          buffer.pushString(raw);
          return undefined;
        }
        break;
      default:
        break;
    }
    // A CSV field read as a number comes without its text (see scanned-numbers.ts): the converter needs it.
    return this.viaConverter(raw === undefined && numbers !== undefined && field! >= 0 ? numbers.fieldText(field!) : raw, buffer);
  }

  /*
   * The fast paths append the value themselves and answer whether they did, rather than return
   * it: a returned number is merged with the other paths' (NaN, a parser's result), and V8 then
   * boxes every scanned double on its way from the tokenizer's array to the column's (perf
   * annotate shows it). Appended where it is computed, it stays a raw double.
   */

  /**
   * Appends the decimal scanned from CSV field `field`; false, appending nothing, when the writer
   * must read the text instead: not scanned, more fraction digits than the scale, an integer part
   * of more than precision - scale digits, an unscaled value too long to be exact, or out of bounds.
   */
  private appendsScannedDecimal(numbers: ScannedNumbers, field: number, buffer: ColumnBuffer): boolean {
    const digits = numbers.digits[field];
    const fraction = numbers.fractionDigits[field];
    const places = fraction < 0 ? 0 : fraction;
    if (places > this.decimalScale) return false;
    const unscaled = digits * POWERS_OF_TEN[this.decimalScale - places];
    // The integer part is below integerLimit exactly when all the digits are below
    // integerLimit * 10^places. digits * 10^(scale - places) is exact whenever the result is
    // below 10^15, and rounds to at least 10^15 otherwise, so the last test is exact too.
    if (!(Math.abs(digits) < this.integerLimit * POWERS_OF_TEN[places] && Math.abs(unscaled) < EXACT_UNSCALED_LIMIT)) return false;
    if (this.path === FastPath.BoundedDecimal && !this.decimalWithinBounds(unscaled)) return false;
    buffer.pushNumber(unscaled);
    return true;
  }

  /** Appends a decimal in plain form from its text; false otherwise, or when out of bounds. */
  private appendsDecimalText(raw: unknown, buffer: ColumnBuffer): boolean {
    if (typeof raw !== 'string') return false;
    const value = parseDecimalFast(raw, this.decimalScale, this.integerLimit);
    if (value !== value || (this.path === FastPath.BoundedDecimal && !this.decimalWithinBounds(value))) return false;
    buffer.pushNumber(value);
    return true;
  }

  /** Whether an unscaled decimal is within the declared range. */
  private decimalWithinBounds(unscaled: number): boolean {
    const value = unscaled / this.boundsScale;
    return value >= this.lowest && value <= this.highest;
  }

  /** Appends the integer scanned from CSV field `field`; false when it is not one (NaN, a point) or out of bounds. */
  private appendsScannedInteger(numbers: ScannedNumbers, field: number, buffer: ColumnBuffer): boolean {
    if (numbers.fractionDigits[field] !== -1) return false;
    const value = numbers.digits[field];
    if (!this.integerWithinBounds(value)) return false;
    buffer.pushNumber(value);
    return true;
  }

  /** Appends an integer from its text when exact as a double and within bounds; false otherwise. */
  private appendsIntegerText(raw: unknown, buffer: ColumnBuffer): boolean {
    if (typeof raw !== 'string' || raw === '') return false;
    const value = parseInteger(raw);
    if (typeof value !== 'number' || !this.integerWithinBounds(value)) return false;
    buffer.pushNumber(value);
    return true;
  }

  /** Whether an integer is within the column type's range and the declared one; false for NaN. */
  private integerWithinBounds(value: number): boolean {
    return value >= this.smallest && value <= this.largest && value >= this.lowest && value <= this.highest;
  }

  /** The converter's way: handles every value, including the ones the fast paths leave to it. */
  private viaConverter(raw: unknown, buffer: ColumnBuffer): string | undefined {
    const value = this.convert(raw);
    if (value instanceof Rejected) return value.reason;
    buffer.push(value);
    return undefined;
  }
}

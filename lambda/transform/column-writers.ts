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
 */
import type { ColumnBuffer, ColumnSpec } from '../parquet/column-buffer';
import * as values from './values';
import { type Converter, Rejected } from './values';

/*
 * The parse functions, read once: run unbundled (tsx, ts-jest), each call through an import reads
 * it off the module object, once per value of every row. Bundled, this changes nothing.
 */
const { parseDate, parseDecimalFast, parseInteger } = values;

/**
 * Appends the converted value of `raw` to `buffer` and returns undefined, or returns why it was
 * rejected and appends nothing.
 */
export type ColumnWriter = (raw: unknown, buffer: ColumnBuffer) => string | undefined;

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
      if (min === undefined && max === undefined) {
        // Unbounded (most decimal columns): no scaling back to compare.
        return (raw, buffer) => {
          if (typeof raw === 'string') {
            const value = parseDecimalFast(raw, decimalScale, integerLimit);
            if (value === value) { // not NaN
              buffer.pushNumber(value);
              return undefined;
            }
          }
          return general(raw, buffer);
        };
      }
      return (raw, buffer) => {
        if (typeof raw === 'string') {
          const value = parseDecimalFast(raw, decimalScale, integerLimit);
          // NaN (not the plain form) fails both comparisons.
          if (value / scale >= lowest && value / scale <= highest) {
            buffer.pushNumber(value);
            return undefined;
          }
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
      return (raw, buffer) => {
        if (typeof raw === 'string' && raw !== '') {
          const value = parseInteger(raw);
          if (typeof value === 'number' && value >= smallest && value <= largest && value >= lowest && value <= highest) {
            buffer.pushNumber(value);
            return undefined;
          }
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

/**
 * A column of one row group being filled, value by value, in the representation its Parquet
 * encoding needs: typed arrays for numbers, encoded bytes for text, only non-null values stored,
 * and a definedness flag per row for nullable columns that have a null.
 */
import { StringValues } from './string-values';

/** Column types as configured (see contract/column-types.ts), with decimal parameters. */
export type ColumnKind = 'string' | 'int' | 'bigint' | 'double' | 'boolean' | 'date' | 'timestamp' | 'decimal';

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly nullable: boolean;
  readonly precision?: number;
  readonly scale?: number;
}

type NumericArray = Int32Array | Float64Array | Uint8Array;

/**
 * Values by kind:
 * - int, date (days since epoch): Int32Array
 * - double, timestamp (microseconds since epoch, safe integers): Float64Array
 * - bigint, decimal (unscaled integer): Float64Array for values exact as doubles, the rest in `wide`
 * - boolean: Uint8Array (0/1)
 * - string: StringValues (encoded as they arrive, see string-values.ts)
 */
export type ColumnValue = number | bigint | string | boolean;

export class ColumnBuffer {
  /** Non-null values, in row order. */
  public numeric?: NumericArray;
  public strings?: StringValues;
  /** bigint/decimal values too wide for a double, by value index (their slot in `numeric` is unused). */
  public wide?: Map<number, bigint>;
  public valueCount = 0;
  /**
   * 1 where the row has a value: only kept for nullable columns, and only once a null arrives
   * (until then every row has one, and nothing is recorded per row).
   */
  public defined?: Uint8Array;
  public rowCount = 0;

  constructor(public readonly spec: ColumnSpec, initialCapacity = 1024) {
    this.numeric = allocate(spec, initialCapacity);
    if (!this.numeric) this.strings = new StringValues();
  }

  /** Appends a value already converted to the column's representation, or null. */
  public push(value: ColumnValue | null): void {
    if (value === null) this.pushNull();
    else if (typeof value === 'string') this.pushString(value);
    else if (typeof value === 'bigint') this.pushWide(value);
    else this.pushNumber(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  }

  /*
   * Typed appends, for the transform's per-column writers: each writer knows its value's type,
   * so the row loop appends without testing it again.
   */

  /** A number in the column's numeric representation (0/1 for booleans). */
  public pushNumber(value: number): void {
    if (this.defined) this.define(1);
    this.rowCount++;
    if (this.valueCount === this.numeric!.length) this.numeric = grow(this.numeric!, this.valueCount * 2);
    this.numeric![this.valueCount++] = value;
  }

  /** A bigint or decimal too wide to be exact as a double. */
  public pushWide(value: bigint): void {
    if (this.defined) this.define(1);
    this.rowCount++;
    if (this.valueCount === this.numeric!.length) this.numeric = grow(this.numeric!, this.valueCount * 2);
    (this.wide ??= new Map()).set(this.valueCount++, value);
  }

  public pushString(value: string): void {
    if (this.defined) this.define(1);
    this.rowCount++;
    this.strings!.add(value);
    this.valueCount++;
  }

  public pushNull(): void {
    if (this.spec.nullable && !this.defined) {
      this.defined = new Uint8Array(Math.max(16, this.rowCount * 2));
      this.defined.fill(1, 0, this.rowCount);
    }
    if (this.defined) this.define(0);
    this.rowCount++;
  }

  /** Takes back the last row appended (a row rejected after some of its columns were written). */
  public removeLast(): void {
    this.rowCount--;
    if (this.defined && this.defined[this.rowCount] === 0) return;
    this.valueCount--;
    if (this.strings) this.strings.removeLast();
    else this.wide?.delete(this.valueCount);
  }

  private define(flag: 0 | 1): void {
    if (this.rowCount === this.defined!.length) this.defined = grow(this.defined!, this.rowCount * 2);
    this.defined![this.rowCount] = flag;
  }

  /** Empties the buffer, keeping its arrays (and their capacity) for new rows. */
  public clear(): void {
    this.rowCount = 0;
    this.valueCount = 0;
    this.wide = undefined;
    this.defined = undefined;
    this.strings?.clear();
  }

  public get nullCount(): number {
    return this.rowCount - this.valueCount;
  }
}

function allocate(spec: ColumnSpec, capacity: number): NumericArray | undefined {
  switch (spec.kind) {
    case 'int':
    case 'date':
      return new Int32Array(capacity);
    case 'double':
    case 'timestamp':
    case 'decimal':
    case 'bigint':
      return new Float64Array(capacity);
    case 'boolean':
      return new Uint8Array(capacity);
    default:
      return undefined;
  }
}

function grow<T extends NumericArray>(array: T, capacity: number): T {
  const grown = new (array.constructor as new (n: number) => T)(Math.max(capacity, 16));
  grown.set(array as any);
  return grown;
}

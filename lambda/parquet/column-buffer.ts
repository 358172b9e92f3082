/**
 * A column of one row group being filled, value by value, in the representation its Parquet
 * encoding needs: typed arrays for numbers, strings for text, only non-null values stored, and
 * a definedness flag per row for nullable columns.
 */

/** Column types as configured (see lib/config/column-types.ts), with decimal parameters. */
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
 * - string: string[]
 */
export type ColumnValue = number | bigint | string | boolean;

export class ColumnBuffer {
  /** Non-null values, in row order. */
  public numeric?: NumericArray;
  public objects?: string[];
  /** bigint/decimal values too wide for a double, by value index (their slot in `numeric` is unused). */
  public wide?: Map<number, bigint>;
  public valueCount = 0;
  /** 1 where the row has a value; only kept for nullable columns. */
  public defined?: Uint8Array;
  public rowCount = 0;

  constructor(public readonly spec: ColumnSpec, initialCapacity = 1024) {
    this.numeric = allocate(spec, initialCapacity);
    if (!this.numeric) this.objects = [];
    if (spec.nullable) this.defined = new Uint8Array(initialCapacity);
  }

  /** Appends a value already converted to the column's representation, or null. */
  public push(value: ColumnValue | null): void {
    if (this.defined) {
      if (this.rowCount === this.defined.length) this.defined = grow(this.defined, this.rowCount * 2) as Uint8Array;
      this.defined[this.rowCount] = value === null ? 0 : 1;
    }
    this.rowCount++;
    if (value === null) return;
    if (this.numeric) {
      if (this.valueCount === this.numeric.length) this.numeric = grow(this.numeric, this.valueCount * 2);
      if (typeof value === 'bigint') {
        (this.wide ??= new Map()).set(this.valueCount, value);
      } else {
        (this.numeric as any)[this.valueCount] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
      }
    } else {
      this.objects!.push(value as string);
    }
    this.valueCount++;
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

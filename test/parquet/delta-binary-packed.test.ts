import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { ColumnBuffer, type ColumnSpec } from '../../lambda/parquet/column-buffer';
import { deltaEncodable, encodeDeltaBinaryPacked, maxDeltaBinaryPackedLength } from '../../lambda/parquet/delta-binary-packed';
import { encodeParquetFile } from '../../lambda/parquet/parquet-file';
import { query } from '../helpers/duckdb';
import { readWithHyparquet } from '../helpers/hyparquet';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-delta-'));
let files = 0;

/** One column of `values` (null for a null) written as a Parquet file; its path. */
function writeColumn(spec: ColumnSpec, values: ReadonlyArray<number | null>): string {
  const column = new ColumnBuffer(spec, 2);
  for (const value of values) column.push(value);
  const file = path.join(dir, `f${files++}.parquet`);
  fs.writeFileSync(file, encodeParquetFile([column]));
  return file;
}

async function encodingOf(file: string): Promise<string> {
  const [meta] = await query(`SELECT encodings FROM parquet_metadata('${file}')`);
  return String(meta.encodings);
}

/** The column's values as DuckDB reads them, as integers (decimals unscaled, dates as days), in text. */
async function duckdbIntegers(file: string, spec: ColumnSpec): Promise<Array<string | null>> {
  const cast = spec.kind === 'decimal' ? `(v::DECIMAL(38, ${spec.scale}) * ${10 ** spec.scale!})::HUGEINT` : spec.kind === 'date' ? `(v - DATE '1970-01-01')` : spec.kind === 'timestamp' ? 'epoch_us(v)' : 'v';
  const rows = await query(`SELECT (${cast})::VARCHAR AS v FROM read_parquet('${file}')`);
  return rows.map((row) => row.v as string | null);
}

const asText = (values: ReadonlyArray<number | null>) => values.map((value) => (value === null ? null : String(value)));

const INTEGER_COLUMNS: ColumnSpec[] = [
  { name: 'v', kind: 'int', nullable: true },
  { name: 'v', kind: 'date', nullable: false },
  { name: 'v', kind: 'bigint', nullable: true },
  { name: 'v', kind: 'timestamp', nullable: true },
  { name: 'v', kind: 'decimal', nullable: true, precision: 9, scale: 2 },
  { name: 'v', kind: 'decimal', nullable: false, precision: 18, scale: 6 },
];

describe('DELTA_BINARY_PACKED integer pages', () => {
  test('decimals are INT32 up to 9 digits, INT64 up to 18 and FIXED_LEN_BYTE_ARRAY beyond, as the format recommends', async () => {
    const types: Record<number, string> = {};
    for (const precision of [1, 9, 10, 18, 19, 38]) {
      const file = writeColumn({ name: 'v', kind: 'decimal', nullable: false, precision, scale: 0 }, [1, 2]);
      const [schema] = await query(`SELECT type, type_length FROM parquet_schema('${file}') WHERE name = 'v'`);
      types[precision] = `${schema.type}${schema.type === 'FIXED_LEN_BYTE_ARRAY' ? `(${schema.type_length})` : ''}`;
    }
    expect(types).toEqual({ 1: 'INT32', 9: 'INT32', 10: 'INT64', 18: 'INT64', 19: 'FIXED_LEN_BYTE_ARRAY(9)', 38: 'FIXED_LEN_BYTE_ARRAY(16)' });
  });

  test('close values are delta-encoded, in a fraction of PLAIN\'s bytes', async () => {
    const prices = Array.from({ length: 10_000 }, (_, i) => 50_000_000 + ((i * 2_654_435_761) % 500_000_000));
    const file = writeColumn({ name: 'v', kind: 'decimal', nullable: false, precision: 18, scale: 6 }, prices);
    expect(await encodingOf(file)).toBe('DELTA_BINARY_PACKED, RLE');
    const [size] = await query(`SELECT total_uncompressed_size::INT AS bytes FROM parquet_metadata('${file}')`);
    // PLAIN would take 8 bytes a value; differences below 2^30 take at most 30 bits.
    expect(size.bytes).toBeLessThan(10_000 * 4);
    expect(await duckdbIntegers(file, { name: 'v', kind: 'decimal', nullable: false, precision: 18, scale: 6 })).toEqual(asText(prices));
  });

  test('values whose differences need more than 32 bits, or do not fit the type, stay PLAIN', async () => {
    const far = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? 0 : 2 ** 40 + i));
    const farFile = writeColumn({ name: 'v', kind: 'bigint', nullable: false }, far);
    expect(await encodingOf(farFile)).toBe('PLAIN, RLE');
    expect(await duckdbIntegers(farFile, { name: 'v', kind: 'bigint', nullable: false })).toEqual(asText(far));

    const extremes = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? -(2 ** 31) : 2 ** 31 - 1));
    const extremesFile = writeColumn({ name: 'v', kind: 'int', nullable: false }, extremes);
    expect(await encodingOf(extremesFile)).toBe('PLAIN, RLE');
    expect(await duckdbIntegers(extremesFile, { name: 'v', kind: 'int', nullable: false })).toEqual(asText(extremes));

    const huge = Array.from({ length: 300 }, (_, i) => 2 ** 52 + i);
    expect(await encodingOf(writeColumn({ name: 'v', kind: 'bigint', nullable: false }, huge))).toBe('PLAIN, RLE');
  });

  test('the block layout is the format\'s: header, then per block the least difference, four widths and 32-value miniblocks', () => {
    // 1 + 129 values: one full block of 128 differences, then one block of 1 (its three unused miniblocks have width 0, no bytes).
    const values = [5, ...Array.from({ length: 128 }, (_, i) => 6 + i * 3), 400];
    const out = new Uint8Array(maxDeltaBinaryPackedLength(values.length));
    const end = encodeDeltaBinaryPacked(values, values.length, out, 0)!;
    const bytes = Array.from(out.subarray(0, end));
    // Header: block size 128 (varint 0x80 0x01), 4 miniblocks, 130 values (0x82 0x01), first value 5 (zigzag 10).
    expect(bytes.slice(0, 6)).toEqual([0x80, 0x01, 4, 0x82, 0x01, 10]);
    // Block 1: differences 1, 3, 3, ...: least 1 (zigzag 2); 1 - 1 = 0 and 3 - 1 = 2 need 2 bits in each miniblock.
    expect(bytes.slice(6, 11)).toEqual([2, 2, 2, 2, 2]);
    // Miniblock 1: values 0, 2, 2, ... packed 2 bits each, least significant first: 0b10101000, then 0b10101010.
    expect(bytes.slice(11, 13)).toEqual([0b10101000, 0b10101010]);
    // Four miniblocks of 32 x 2 bits = 8 bytes each; then block 2: difference 400 - 387 = 13 (zigzag 26), width 0 for all.
    expect(bytes.slice(11 + 32)).toEqual([26, 0, 0, 0, 0]);
  });

  test('the INT32 and INT64 ranges it accepts keep every difference exact', () => {
    expect(deltaEncodable(-(2 ** 30), 2 ** 30 - 1, 32)).toBe(true);
    expect(deltaEncodable(-(2 ** 30), 2 ** 30, 32)).toBe(false);
    expect(deltaEncodable(-(2 ** 52) + 1, 0, 64)).toBe(true);
    expect(deltaEncodable(0, 2 ** 52, 64)).toBe(false);
    expect(deltaEncodable(-(2 ** 51), 2 ** 51, 64)).toBe(false);
  });

  test('any integers of every INT32 and INT64 kind round-trip exactly through DuckDB and hyparquet', async () => {
    // Per column: a base value and a spread, so that values cluster as a real column's do (and
    // pages are mostly delta-encoded), or spread over the whole type (and stay PLAIN); lengths
    // across miniblock (32) and block (128) edges; sorted or not.
    const valuesOf = (spec: ColumnSpec) => {
      const bits = spec.kind === 'int' || (spec.kind === 'decimal' && spec.precision! <= 9) ? 32 : spec.kind === 'date' ? 18 : 53;
      const [low, high] = [-(2 ** (bits - 1)) + 1, 2 ** (bits - 1) - 1];
      // Mostly spreads that fit 32-bit differences (delta pages), sometimes the whole type (PLAIN).
      const spreadBits = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 24 }), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: bits }), weight: 1 });
      const column = fc.record({ base: fc.integer({ min: low, max: high }), spreadBits, sorted: fc.boolean() });
      return column.chain(({ base, spreadBits, sorted }) => {
        const offset = fc.integer({ min: -(2 ** spreadBits) + 1, max: 2 ** spreadBits - 1 });
        const value = offset.map((delta) => Math.min(high, Math.max(low, base + delta)));
        return fc.array(fc.option(value, { nil: null, freq: spec.nullable ? 8 : 1000000 }), { maxLength: 300, size: 'max' })
          .map((values) => (sorted ? [...values].sort((x, y) => (x ?? 0) - (y ?? 0)) : values));
      });
    };
    for (const spec of INTEGER_COLUMNS) {
      let deltaPages = 0;
      await fc.assert(fc.asyncProperty(valuesOf(spec), async (values) => {
        const kept = spec.nullable ? values : values.map((value) => value ?? 0);
        const file = writeColumn(spec, kept);
        if ((await encodingOf(file)).startsWith('DELTA_BINARY_PACKED')) deltaPages++;
        expect(await duckdbIntegers(file, spec)).toEqual(asText(kept));
        // hyparquet gives 64-bit integers as text, INT32 as numbers, dates and timestamps as dates, decimals as numbers.
        const { rows } = readWithHyparquet(file);
        const read = rows.map((row) => row.v as string | number | null);
        const expected = kept.map((value) => {
          if (value === null) return null;
          switch (spec.kind) {
            case 'date': return new Date(value * 86_400_000).toISOString();
            // hyparquet divides microseconds by 1,000 in bigints, and scales decimals by 10^-scale.
            case 'timestamp': return new Date(Number(BigInt(value) / 1000n)).toISOString();
            case 'decimal': return value * 10 ** -spec.scale!;
            case 'bigint': return String(value);
            default: return value;
          }
        });
        expect(read).toEqual(expected);
      }), { numRuns: 10 });
      // The property is about delta pages, so it must make some: about 3 runs in 4 do (measured),
      // and fewer than 2 in 10 is about as likely as 1 in 30,000.
      expect(deltaPages).toBeGreaterThanOrEqual(2);
    }
  }, 120_000);
});

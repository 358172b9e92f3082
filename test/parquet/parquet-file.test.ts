import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { ColumnBuffer, type ColumnSpec, type ColumnValue } from '../../lambda/parquet/column-buffer';
import { decimalByteWidth, encodeParquetFile } from '../../lambda/parquet/parquet-file';
import { parquetTypes, query } from '../helpers/duckdb';
import { readWithHyparquet } from '../helpers/hyparquet';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-parquet-'));
let files = 0;

function write(specs: ColumnSpec[], rows: Array<Array<ColumnValue | null>>): string {
  const columns = specs.map((spec) => new ColumnBuffer(spec, 2));
  for (const row of rows) row.forEach((value, index) => columns[index].push(value));
  const file = path.join(dir, `f${files++}.parquet`);
  fs.writeFileSync(file, encodeParquetFile(columns));
  return file;
}

const ALL_TYPES: ColumnSpec[] = [
  { name: 's', kind: 'string', nullable: true },
  { name: 'i', kind: 'int', nullable: false },
  { name: 'b', kind: 'bigint', nullable: true },
  { name: 'd', kind: 'double', nullable: true },
  { name: 'bo', kind: 'boolean', nullable: true },
  { name: 'dt', kind: 'date', nullable: false },
  { name: 'ts', kind: 'timestamp', nullable: true },
  { name: 'dec', kind: 'decimal', nullable: true, precision: 18, scale: 6 },
  { name: 'small', kind: 'decimal', nullable: true, precision: 5, scale: 2 },
  { name: 'wide', kind: 'decimal', nullable: true, precision: 38, scale: 10 },
];

describe('Parquet encoder', () => {
  const file = write(ALL_TYPES, [
    ['a', 1, 10, 1.5, true, 0, 0, 123456789012, 12345, 12345678901234567890123456789n],
    [null, -2, null, null, null, 19000, 1700000000123456, -5, -99999, -1n],
    ['héllo', 2147483647, -9223372036854775808n, -0.25, false, -1, -1, 999999999999999999n, null, null],
  ]);

  test('DuckDB reads every logical type as the Glue table declares it', async () => {
    expect(await parquetTypes(file)).toEqual({
      s: 'VARCHAR', i: 'INTEGER', b: 'BIGINT', d: 'DOUBLE', bo: 'BOOLEAN', dt: 'DATE', ts: 'TIMESTAMP WITH TIME ZONE',
      dec: 'DECIMAL(18,6)', small: 'DECIMAL(5,2)', wide: 'DECIMAL(38,10)',
    });
  });

  test('DuckDB reads every value exactly, nulls included', async () => {
    const rows = await query(`SELECT s, i, b::VARCHAR b, d, bo, dt::VARCHAR dt, epoch_us(ts)::VARCHAR ts, "dec"::VARCHAR AS "dec", small::VARCHAR small, wide::VARCHAR wide FROM read_parquet('${file}')`);
    expect(rows).toEqual([
      { s: 'a', i: 1, b: '10', d: 1.5, bo: true, dt: '1970-01-01', ts: '0', dec: '123456.789012', small: '123.45', wide: '1234567890123456789.0123456789' },
      { s: null, i: -2, b: null, d: null, bo: null, dt: '2022-01-08', ts: '1700000000123456', dec: '-0.000005', small: '-999.99', wide: '-0.0000000001' },
      { s: 'héllo', i: 2147483647, b: '-9223372036854775808', d: -0.25, bo: false, dt: '1969-12-31', ts: '-1', dec: '999999999999.999999', small: null, wide: null },
    ]);
  });

  test('hyparquet, a second reader, reads the same rows', () => {
    const { numRows, rows } = readWithHyparquet(file);
    expect(numRows).toBe(3);
    expect(rows.map((row) => [row.s, row.i, row.b, row.bo, row.dt])).toEqual([
      ['a', 1, '10', true, '1970-01-01T00:00:00.000Z'],
      [null, -2, null, null, '2022-01-08T00:00:00.000Z'],
      ['héllo', 2147483647, '-9223372036854775808', false, '1969-12-31T00:00:00.000Z'],
    ]);
  });

  test('writes min/max statistics engines can skip row groups with', async () => {
    const stats = await query(`SELECT path_in_schema AS col, stats_min_value AS lo, stats_max_value AS hi, stats_null_count AS nulls FROM parquet_metadata('${file}') WHERE path_in_schema IN ('i', 'dt', 's')`);
    expect(stats).toEqual(expect.arrayContaining([
      { col: 'i', lo: '-2', hi: '2147483647', nulls: '0' },
      { col: 'dt', lo: '1969-12-31', hi: '2022-01-08', nulls: '0' },
    ]));
  });

  test('dictionary-encodes repetitive strings', async () => {
    const repetitive = write([{ name: 'ticker', kind: 'string', nullable: false }], Array.from({ length: 1000 }, (_, i) => [['AAPL', 'MSFT', 'GOOG'][i % 3]]));
    const [meta] = await query(`SELECT encodings FROM parquet_metadata('${repetitive}')`);
    expect(meta.encodings).toContain('PLAIN_DICTIONARY');
    expect(await query(`SELECT ticker, count(*)::INT n FROM read_parquet('${repetitive}') GROUP BY 1 ORDER BY 1`)).toEqual([
      { ticker: 'AAPL', n: 334 }, { ticker: 'GOOG', n: 333 }, { ticker: 'MSFT', n: 333 },
    ]);
  });

  test('a file returned is its own copy: encoding the next files, larger ones included, leaves it unchanged', async () => {
    // The encoder reuses its page buffers from file to file (reused-buffers.ts).
    const columnsOf = (rows: number) => {
      const columns = ALL_TYPES.map((spec) => new ColumnBuffer(spec, 2));
      for (let r = 0; r < rows; r++) {
        columns.forEach((column, index) => column.push(r % 7 === 0 && column.spec.nullable ? null : valueFor(ALL_TYPES[index], r)));
      }
      return columns;
    };
    const first = encodeParquetFile(columnsOf(300));
    const copy = Buffer.from(first);
    for (const rows of [2_000, 150_000]) encodeParquetFile(columnsOf(rows));
    expect(first.equals(copy)).toBe(true);
    const file = path.join(dir, `f${files++}.parquet`);
    fs.writeFileSync(file, first);
    expect(await query(`SELECT count(*)::INT n, sum(i)::INT total FROM read_parquet('${file}')`)).toEqual([{ n: 300, total: (299 * 300) / 2 }]);
  });

  test('8-byte integers and decimals either side of four bytes round-trip, with their min and max', async () => {
    // The encoder stores values below 2^32 without working out their high word: the edges of that path.
    const edges = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, -1, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53) + 1];
    const edgeFile = write(
      [{ name: 'b', kind: 'bigint', nullable: false }, { name: 'dec', kind: 'decimal', nullable: false, precision: 18, scale: 6 }],
      edges.map((value) => [value, value]),
    );
    const read = await query(`SELECT b::VARCHAR b, ("dec"::DECIMAL(38,6) * 1000000)::HUGEINT::VARCHAR "dec" FROM read_parquet('${edgeFile}')`);
    expect(read).toEqual(edges.map((value) => ({ b: BigInt(value).toString(), dec: BigInt(value).toString() })));
    const stats = await query(`SELECT path_in_schema AS col, stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata('${edgeFile}')`);
    expect(stats).toEqual([
      { col: 'b', lo: String(-(2 ** 53) + 1), hi: String(2 ** 53 - 1) },
      { col: 'dec', lo: '-9007199254.740991', hi: '9007199254.740991' },
    ]);
  });

  test('string min and max are the values\' UTF-8 bytes in unsigned order, in plain and dictionary form, less values taken back', async () => {
    // U+FF61 sorts after U+1F600 in JavaScript (UTF-16 units: FF61 > D83D) but before it in UTF-8 (EF < F0).
    const text = fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('', '\uFF61', '😀', '\uD800', 'é', 'zz'));
    const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
    await fc.assert(fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 60 }), fc.boolean(), fc.array(fc.boolean(), { maxLength: 60 }), async (values, repetitive, takeBack) => {
      const column = new ColumnBuffer({ name: 's', kind: 'string', nullable: false }, 2);
      const kept: string[] = [];
      values.forEach((value, index) => {
        // Repeated values keep the dictionary form; distinct ones (with the index) end plain.
        const written = repetitive ? value : `${value}${index}`;
        column.push(written);
        if (takeBack[index]) column.removeLast();
        else kept.push(written);
      });
      if (kept.length === 0) return;
      const file = path.join(dir, `f${files++}.parquet`);
      fs.writeFileSync(file, encodeParquetFile([column]));
      const sorted = [...kept].sort(utf8Order);
      const [stats] = await query(`SELECT stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata('${file}')`);
      // DuckDB gives the statistics as text: compare the decoded bounds.
      expect(stats).toEqual({ lo: Buffer.from(sorted[0], 'utf8').toString(), hi: Buffer.from(sorted[sorted.length - 1], 'utf8').toString() });
    }), { numRuns: 60 });
  });

  test('decimal widths follow the precision', () => {
    expect([1, 2, 3, 4, 9, 10, 18, 19, 38].map(decimalByteWidth)).toEqual([1, 1, 2, 2, 4, 5, 8, 9, 16]);
  });

  test('any rows of any types round-trip exactly through DuckDB', async () => {
    const row = fc.tuple(
      fc.option(fc.string({ maxLength: 12 }), { nil: null }),
      fc.integer({ min: -2147483648, max: 2147483647 }),
      fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: null }),
      fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
      fc.integer({ min: -100000, max: 100000 }),
      fc.option(fc.bigInt({ min: -(10n ** 18n) + 1n, max: 10n ** 18n - 1n }), { nil: null }),
    );
    const specs: ColumnSpec[] = [
      { name: 's', kind: 'string', nullable: true }, { name: 'i', kind: 'int', nullable: false }, { name: 'b', kind: 'bigint', nullable: true },
      { name: 'd', kind: 'double', nullable: true }, { name: 'dt', kind: 'date', nullable: false }, { name: 'dec', kind: 'decimal', nullable: true, precision: 18, scale: 6 },
    ];
    await fc.assert(fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
      // Values are stored as doubles while exact, as the transform does.
      const asStored = (v: bigint | null) => (v === null ? null : v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v);
      const file = write(specs, rows.map(([s, i, b, d, dt, dec]) => [s, i, asStored(b), d === null ? null : Object.is(d, -0) ? 0 : d, dt, asStored(dec)]));
      const read = await query(`SELECT s, i, b::VARCHAR b, d, (dt - DATE '1970-01-01')::INT dt, ("dec"::DECIMAL(38,6) * 1000000)::HUGEINT::VARCHAR AS "dec" FROM read_parquet('${file}')`);
      expect(read).toEqual(rows.map(([s, i, b, d, dt, dec]) => ({ s, i, b: b === null ? null : b.toString(), d: d === null ? null : Object.is(d, -0) ? 0 : d, dt, dec: dec === null ? null : dec.toString() })));
    }), { numRuns: 25 });
  });
});

/** A value of `spec`'s kind, distinct per row: strings distinct enough to be written plain. */
function valueFor(spec: ColumnSpec, row: number): ColumnValue {
  switch (spec.kind) {
    case 'string': return `value ${row * 7919}`;
    case 'int': case 'date': return row;
    case 'bigint': case 'timestamp': return row * 1_000_003;
    case 'double': return row / 3;
    case 'boolean': return row % 3 === 0;
    case 'decimal': return spec.precision! > 18 ? BigInt(row) * 10n ** 20n : row * 101;
  }
}

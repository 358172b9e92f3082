import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import { UnreadableObjectError } from '../../lambda/transform/record-readers';
import { transformObject } from '../../lambda/transform/transform-object';
import { datasetSchema } from '../../lib/config/lob-schema';
import { query } from '../helpers/duckdb';
import { sampleConfig } from '../helpers/sample-app';
import { MemoryStore } from '../helpers/memory-store';

const finance = sampleConfig().lobs.find((lob) => lob.name === 'finance')!;
const stockPrices = compileDataset(finance.datasets.find((d) => d.name === 'stock_prices')!);
const fxRates = compileDataset(finance.datasets.find((d) => d.name === 'fx_rates')!);


const source = (key: string) => ({ bucket: 'raw', key, version: 'v1' });
/** The event's time and a fixed clock: a manifest's bytes then depend on the input alone. */
const ARRIVAL = { ingestedAt: new Date('2024-01-02T22:10:05Z'), clock: () => new Date('2024-01-02T22:10:09.250Z') };
const chunks = (text: string | Buffer, size = 7) => {
  const buffer = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += size) parts.push(buffer.subarray(offset, offset + size));
  return Readable.from(parts);
};

const HEADER = 'ticker,date,open,high,low,close,adj_close,volume';

describe('transform of one object', () => {
  test('CSV: valid rows to date partitions, bad rows quarantined with source, line and reason', async () => {
    const store = new MemoryStore();
    const csv = `${HEADER}\r\nAAPL,2024-01-02,187.15,188.44,183.885,185.64,185.403,82488700\r\nMSFT,2024-01-03,1,2,3,4,,5\r\nBAD,2024-02-30,1,1,1,1,1,1\r\nSHORT,2024-01-02,1\r\n`;
    const result = await transformObject(source('landing/stock_prices/a.csv'), chunks(csv), stockPrices, store, ARRIVAL);
    expect(result).toMatchObject({ read: 4, written: 2, quarantined: 2 });
    expect([...store.files.keys()].sort()).toEqual([
      expect.stringMatching(/^manifests\/stock_prices\/2024-01-02\/[0-9a-f]{20}\.json$/),
      expect.stringMatching(/^outputs\/stock_prices\/[0-9a-f]{20}\.json$/),
      expect.stringMatching(/^quarantine\/stock_prices\/part-[0-9a-f]{20}-00000\.jsonl$/),
      expect.stringMatching(/^stock_prices\/date=2024-01-02\/part-[0-9a-f]{20}-00000\.parquet$/),
      expect.stringMatching(/^stock_prices\/date=2024-01-03\/part-[0-9a-f]{20}-00000\.parquet$/),
    ]);
    expect(store.quarantineLines()).toEqual([
      expect.objectContaining({ source: 's3://raw/landing/stock_prices/a.csv', line: 4, reason: 'column date: expected a date as YYYY-MM-DD, got "2024-02-30"' }),
      expect.objectContaining({ line: 5, reason: 'expected 8 fields as in the header, got 3', record: 'SHORT,2024-01-02,1' }),
    ]);
    const dir = store.toDirectory();
    const rows = await query(`SELECT ticker, date::VARCHAR AS "date", close::VARCHAR AS "close", adj_close::VARCHAR AS adj, volume FROM read_parquet('${dir}/stock_prices/**/*.parquet', hive_partitioning = true, hive_types = {'date': DATE}) ORDER BY 2`);
    expect(rows).toEqual([
      { ticker: 'AAPL', date: '2024-01-02', close: '185.640000', adj: '185.403000', volume: '82488700' },
      { ticker: 'MSFT', date: '2024-01-03', close: '4.000000', adj: null, volume: '5' },
    ]);
  });

  test('a record rejected after some of its columns were appended leaves no trace in the Parquet', async () => {
    const store = new MemoryStore();
    // Row 3 fails on its last column (volume below its minimum 0), row 4 on a middle one, after
    // ticker and the first decimals were appended to the partition's buffers; row 5 on two columns.
    const csv = `${HEADER}\nAAA,2024-01-02,1.5,2,1,1.75,,10\nBBB,2024-01-02,2,3,1,2.5,2.5,-1\nCCC,2024-01-02,3,4,oops,3,3,30\nDDD,2024-01-02,1,1,1,,x,1\nEEE,2024-01-02,4,5,3,4.25,4.2,40\n`;
    const result = await transformObject(source('landing/stock_prices/r.csv'), chunks(csv, 11), stockPrices, store, ARRIVAL);
    expect(result).toMatchObject({ read: 5, written: 2, quarantined: 3 });
    expect(store.quarantineLines().map((q) => [q.line, q.reason])).toEqual([
      [3, 'column volume: -1 is below the minimum 0'],
      [4, 'column low: expected a decimal(18,6): "oops" not a decimal number'],
      [5, 'missing value for non-null column close; column adj_close: expected a decimal(18,6): "x" not a decimal number'],
    ]);
    const rows = await query(`SELECT ticker, open::VARCHAR AS "open", close::VARCHAR AS "close", adj_close::VARCHAR AS adj, volume FROM read_parquet('${store.toDirectory()}/stock_prices/**/*.parquet')`);
    expect(rows).toEqual([
      { ticker: 'AAA', open: '1.500000', close: '1.750000', adj: null, volume: '10' },
      { ticker: 'EEE', open: '4.000000', close: '4.250000', adj: '4.200000', volume: '40' },
    ]);
  });

  test('a CSV partitioned by a numeric column names each partition after the column\'s value', async () => {
    // The partition column is an int: numeric columns are read as numbers while tokenizing, and
    // their text is then left out (scanned-numbers.ts), but a partition column's is kept for its key.
    const orders = compileDataset(datasetSchema.parse({
      name: 'orders', ingest: 'batch', format: 'csv',
      schema: [{ name: 'year', type: 'int', nullable: false, range: { min: 2000, max: 2100 } }, { name: 'amount', type: 'decimal(9,2)' }],
      partitionColumns: ['year'], primaryKey: ['year'],
    }));
    const store = new MemoryStore();
    const csv = 'year,amount\n2024,1.50\n2024,2\n2025,3.25\n20x5,4\n2025,1.234\n';
    const result = await transformObject(source('landing/orders/a.csv'), chunks(csv, 9), orders, store, ARRIVAL);
    expect(result).toMatchObject({ read: 5, written: 3, quarantined: 2 });
    expect([...store.files.keys()].filter((key) => key.endsWith('.parquet')).sort()).toEqual([
      expect.stringMatching(/^orders\/year=2024\/part-/),
      expect.stringMatching(/^orders\/year=2025\/part-/),
    ]);
    expect(store.quarantineLines().map((q) => [q.line, q.reason, q.record])).toEqual([
      [5, 'column year: expected an int (32-bit integer), got "20x5"', { year: '20x5', amount: '4' }],
      [6, expect.stringContaining('column amount'), { year: '2025', amount: '1.234' }],
    ]);
    const rows = await query(`SELECT year::VARCHAR AS year, amount::VARCHAR AS amount FROM read_parquet('${store.toDirectory()}/orders/**/*.parquet', hive_partitioning = true) ORDER BY amount`);
    expect(rows).toEqual([{ year: '2024', amount: '1.50' }, { year: '2024', amount: '2.00' }, { year: '2025', amount: '3.25' }]);
  });

  test('gzip is detected by content, whatever the name', async () => {
    const store = new MemoryStore();
    const csv = `${HEADER}\nAAPL,2024-01-02,1,1,1,1,1,1\n`;
    const result = await transformObject(source('landing/stock_prices/no-extension'), chunks(gzipSync(csv), 3), stockPrices, store, ARRIVAL);
    expect(result).toMatchObject({ read: 1, written: 1, quarantined: 0 });
  });

  test('nested FX documents are flattened by their key levels', async () => {
    const store = new MemoryStore();
    const doc = JSON.stringify({ USD: { GBP: { '2010-01-04': { open: 0.6194, high: 0.6228, low: 0.6165, close: 0.6189 } }, EUR: { '2010-01-04': { open: 1, high: 1, low: 1, close: null } } } });
    const result = await transformObject(source('landing/fx_rates/a.json'), chunks(doc, 5), fxRates, store, ARRIVAL);
    expect(result).toMatchObject({ read: 2, written: 1, quarantined: 1 });
    const rows = await query(`SELECT from_currency, to_currency, date::VARCHAR AS "date", close::VARCHAR AS "close" FROM read_parquet('${store.toDirectory()}/fx_rates/**/*.parquet', hive_partitioning = true)`);
    expect(rows).toEqual([{ from_currency: 'USD', to_currency: 'GBP', date: '2010-01-04', close: '0.61890000' }]);
    expect(store.quarantineLines()[0]).toMatchObject({ line: 2, reason: 'missing value for non-null column close' });
  });

  test.each([
    ['corrupt gzip', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(40, 7)]), stockPrices, /corrupt gzip/],
    ['binary content', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02]), stockPrices, /binary content/],
    ['truncated JSON', Buffer.from('{"USD": {"GBP": {"2010-01-04": {"open": 0.6'), fxRates, /not a complete JSON document/],
  ])('%s fails the object with one clear error and leaves nothing behind', async (_name, body, dataset, message) => {
    const store = new MemoryStore();
    const prefix = dataset === fxRates ? '' : `${HEADER}\n${'AAPL,2024-01-02,1,1,1,1,1,1\n'.repeat(3)}`;
    const input = dataset === fxRates || body[0] === 0x1f ? body : Buffer.concat([Buffer.from(prefix), body]);
    await expect(transformObject(source('landing/x/y'), chunks(input, 4), dataset, store, { ...ARRIVAL, rowGroupRows: 2 })).rejects.toThrow(UnreadableObjectError);
    await expect(transformObject(source('landing/x/y'), chunks(input, 4), dataset, store, { ...ARRIVAL, rowGroupRows: 2 })).rejects.toThrow(message);
    expect(store.files.size).toBe(0);
  });

  test('a retry or replay overwrites the same keys with the same bytes', async () => {
    const csv = `${HEADER}\n${Array.from({ length: 50 }, (_, i) => `T${i % 7},2024-01-0${1 + (i % 3)},1,1,1,${i},1,1`).join('\n')}\nX,bad,1,1,1,1,1,1\n`;
    const first = new MemoryStore();
    const second = new MemoryStore();
    await transformObject(source('landing/stock_prices/a.csv'), chunks(csv, 11), stockPrices, first, { ...ARRIVAL, rowGroupRows: 8 });
    await transformObject(source('landing/stock_prices/a.csv'), chunks(csv, 5), stockPrices, second, { ...ARRIVAL, rowGroupRows: 8 });
    expect([...second.files.keys()].sort()).toEqual([...first.files.keys()].sort());
    for (const [key, body] of first.files) expect(second.files.get(key)!.equals(body)).toBe(true);
    const other = new MemoryStore();
    await transformObject({ ...source('landing/stock_prices/a.csv'), version: 'v2' }, chunks(csv), stockPrices, other, { ...ARRIVAL, rowGroupRows: 8 });
    expect([...other.files.keys()].some((key) => first.files.has(key))).toBe(false);
  });

  test('a string column that outgrew its dictionary is written plain in the object\'s next partitions, and only after a full trial', async () => {
    const tickerEncodings = async (store: MemoryStore) => {
      const dir = store.toDirectory();
      const rows = await query(`SELECT file_name, encodings FROM parquet_metadata('${dir}/stock_prices/*/*.parquet') WHERE path_in_schema = 'ticker'`);
      return Object.fromEntries(rows.map((row) => [String(row.file_name).split('/').slice(-2, -1)[0], String(row.encodings)]));
    };
    const day = (date: string, tickers: string[]) => tickers.map((ticker) => `${ticker},${date},1,1,1,1,1,1`).join('\n');
    const repeated = Array.from({ length: 10 }, () => 'AAPL');
    // 2,000 distinct tickers on the first day outgrow the dictionary; the second day, ten of one
    // ticker, would take a dictionary if judged alone, but follows the first.
    const outgrown = new MemoryStore();
    const distinct = Array.from({ length: 2000 }, (_, i) => `T${i}`);
    await transformObject(source('landing/stock_prices/a.csv'), chunks(`${HEADER}\n${day('2024-01-01', distinct)}\n${day('2024-01-02', repeated)}\n`, 4096), stockPrices, outgrown, { ...ARRIVAL, rowGroupRows: 2000 });
    expect(await tickerEncodings(outgrown)).toEqual({ 'date=2024-01-01': expect.not.stringContaining('DICTIONARY'), 'date=2024-01-02': expect.not.stringContaining('DICTIONARY') });
    // Three distinct tickers are too few to judge by: the next day still tries, and keeps, a dictionary.
    const small = new MemoryStore();
    await transformObject(source('landing/stock_prices/b.csv'), chunks(`${HEADER}\n${day('2024-01-01', ['A', 'B', 'C'])}\n${day('2024-01-02', repeated)}\n`), stockPrices, small, { ...ARRIVAL, rowGroupRows: 3 });
    expect((await tickerEncodings(small))['date=2024-01-02']).toContain('DICTIONARY');
    // Another object starts afresh.
    const next = new MemoryStore();
    await transformObject(source('landing/stock_prices/c.csv'), chunks(`${HEADER}\n${day('2024-01-02', repeated)}\n`), stockPrices, next, ARRIVAL);
    expect((await tickerEncodings(next))['date=2024-01-02']).toContain('DICTIONARY');
  });

  test('numeric columns are delta-encoded by default and PLAIN when the LoB asks, with the same values', async () => {
    const csv = `${HEADER}\n${Array.from({ length: 500 }, (_, i) => `T${i},2024-01-01,${100 + (i % 37)}.5,${101 + i},99.125,${100 + i}.25,${7 * i},${1000 + i * 3}`).join('\n')}\n`;
    const written = async (integerEncoding?: 'delta' | 'plain') => {
      const store = new MemoryStore();
      await transformObject(source('landing/stock_prices/a.csv'), chunks(csv, 512), stockPrices, store, { ...ARRIVAL, integerEncoding });
      const dir = store.toDirectory();
      const columns = await query(`SELECT path_in_schema AS col, encodings FROM parquet_metadata('${dir}/stock_prices/*/*.parquet') ORDER BY column_id`);
      const rows = await query(`SELECT * EXCLUDE (date) FROM read_parquet('${dir}/stock_prices/*/*.parquet') ORDER BY ticker`);
      return { encodings: Object.fromEntries(columns.map((column) => [column.col, String(column.encodings)])), rows };
    };
    const delta = await written();
    const numeric = ['open', 'high', 'low', 'close', 'adj_close', 'volume'];
    expect(delta.encodings).toEqual({ ticker: 'PLAIN, RLE', ...Object.fromEntries(numeric.map((column) => [column, 'DELTA_BINARY_PACKED, RLE'])) });
    const plain = await written('plain');
    expect(plain.encodings).toEqual({ ticker: 'PLAIN, RLE', ...Object.fromEntries(numeric.map((column) => [column, 'PLAIN, RLE'])) });
    expect(delta.rows).toHaveLength(500);
    expect(delta.rows).toEqual(plain.rows);
  });

  test('memory stays bounded: no more than rowGroupRows rows are buffered, however many partitions', async () => {
    const store = new MemoryStore();
    const csv = `${HEADER}\n${Array.from({ length: 500 }, (_, i) => `T${i},${new Date(Date.UTC(2020, 0, 1 + (i % 40))).toISOString().slice(0, 10)},1,1,1,1,1,1`).join('\n')}\n`;
    const result = await transformObject(source('landing/stock_prices/history.csv'), chunks(csv, 64), stockPrices, store, { ...ARRIVAL, rowGroupRows: 50 });
    expect(result).toMatchObject({ read: 500, written: 500 });
    const counts = await query(`SELECT count(*)::INT n, count(DISTINCT date)::INT dates FROM read_parquet('${store.toDirectory()}/stock_prices/**/*.parquet', hive_partitioning = true)`);
    expect(counts).toEqual([{ n: 500, dates: 40 }]);
    const rowsPerFile = await query(`SELECT max(row_group_num_rows)::INT m FROM (SELECT DISTINCT file_name, row_group_num_rows FROM parquet_metadata('${store.toDirectory()}/stock_prices/**/*.parquet'))`);
    expect(rowsPerFile[0].m).toBeLessThanOrEqual(50);
  });
});

describe('nothing is lost, whatever the input', () => {
  const events = compileDataset(datasetSchema.parse({
    name: 'events', ingest: 'batch', format: 'jsonl',
    schema: [
      { name: 'id', type: 'bigint', nullable: false },
      { name: 'day', type: 'date', nullable: false },
      { name: 'label', type: 'string' },
      { name: 'amount', type: 'decimal(12,3)' },
      { name: 'ok', type: 'boolean' },
      { name: 'seen_at', type: 'timestamp' },
    ],
    partitionColumns: ['day'],
    primaryKey: ['id'],
  }));

  const validRecord = fc.record({
    id: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
    day: fc.integer({ min: -3650, max: 30000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10)),
    label: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
    amount: fc.option(fc.bigInt({ min: -(10n ** 12n) + 1n, max: 10n ** 12n - 1n }).map((v) => {
      const s = (v < 0n ? -v : v).toString().padStart(4, '0');
      return `${v < 0n ? '-' : ''}${s.slice(0, -3)}.${s.slice(-3)}`;
    }), { nil: null }),
    ok: fc.option(fc.boolean(), { nil: null }),
    seen_at: fc.option(fc.integer({ min: 0, max: 2_000_000_000 }).map((s) => new Date(s * 1000).toISOString()), { nil: null }),
  });
  const line = fc.oneof(
    { weight: 5, arbitrary: validRecord.map((r) => ({ valid: true, text: JSON.stringify(r), record: r })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).filter((s) => !s.includes('\n') && s.trim() !== '').map((text) => ({ valid: undefined, text, record: undefined })) },
    { weight: 1, arbitrary: validRecord.map((r) => ({ valid: false, text: JSON.stringify({ ...r, day: '2023-02-29' }), record: r })) },
  );

  test('read = written + quarantined, and every written value round-trips exactly', async () => {
    await fc.assert(fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 2, max: 10 }), async (lines, chunkSize, rowGroupRows) => {
      const store = new MemoryStore();
      const body = lines.map((l) => l.text).join('\n');
      const result = await transformObject(source('landing/events/e.jsonl'), chunks(body, chunkSize), events, store, { ...ARRIVAL, rowGroupRows });
      expect(result.read).toBe(result.written + result.quarantined);
      const nonBlank = lines.filter((l) => l.text.trim() !== '');
      expect(result.read).toBe(nonBlank.length);
      expect(store.quarantineLines()).toHaveLength(result.quarantined);
      const expected = nonBlank.filter((l) => l.valid === true).map((l) => l.record!);
      expect(result.written).toBe(expected.length);
      if (expected.length === 0) return;
      const rows = await query(`SELECT id::VARCHAR AS id, day::VARCHAR AS "day", label, amount::VARCHAR AS amount, ok, strftime(seen_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS seen_at FROM read_parquet('${store.toDirectory()}/events/**/*.parquet', hive_partitioning = true, hive_types = {'day': DATE})`);
      const key = (r: Record<string, unknown>) => JSON.stringify(r);
      const normalize = (r: typeof expected[number]) => ({ ...r, id: BigInt(r.id).toString(), amount: r.amount === null ? null : r.amount.replace(/^(-?)\./, '$10.').replace(/^-0\.000$/, '0.000') });
      expect(rows.map(key).sort()).toEqual(expected.map(normalize).map(key).sort());
    }), { numRuns: 30 });
  });
});

import * as path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import { UnreadableObjectError } from '../../lambda/transform/record-readers';
import { transformObject } from '../../lambda/transform/transform-object';
import { datasetSchema } from '../../lib/config/lob-schema';
import { FINANCE, configErrorOf } from '../helpers/config-fixtures';
import { query } from '../helpers/duckdb';
import { readWithHyparquet } from '../helpers/hyparquet';
import { MemoryStore } from '../helpers/memory-store';


const ARRIVAL = { ingestedAt: new Date('2024-01-02T22:10:05Z'), clock: () => new Date('2024-01-02T22:10:09Z') };
const source = (key: string) => ({ bucket: 'raw', key, version: 'v1' });
const chunks = (text: string, size = 7) => {
  const buffer = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += size) parts.push(buffer.subarray(offset, offset + size));
  return Readable.from(parts);
};

/** Alpha Vantage TIME_SERIES_DAILY, as its API returns it. */
const dailyDataset = compileDataset(datasetSchema.parse({
  name: 'daily_prices',
  ingest: 'batch',
  format: 'json',
  json: {
    recordPath: ['Time Series (Daily)', { keyAs: 'trade_date' }],
    fields: { open: ['1. open'], high: ['2. high'], low: ['3. low'], close: ['4. close'], volume: ['5. volume'] },
    documentFields: { ticker: ['Meta Data', '2. Symbol'] },
  },
  schema: [
    { name: 'ticker', type: 'string', nullable: false },
    { name: 'trade_date', type: 'date', nullable: false },
    { name: 'open', type: 'decimal(12,4)' },
    { name: 'high', type: 'decimal(12,4)' },
    { name: 'low', type: 'decimal(12,4)' },
    { name: 'close', type: 'decimal(12,4)' },
    { name: 'volume', type: 'bigint' },
  ],
  partitionColumns: ['trade_date'],
  primaryKey: ['ticker', 'trade_date'],
}));

const DAILY = JSON.stringify({
  'Meta Data': { '1. Information': 'Daily Prices (open, high, low, close) and Volumes', '2. Symbol': 'IBM', '3. Last Refreshed': '2024-01-03', '4. Output Size': 'Compact', '5. Time Zone': 'US/Eastern' },
  'Time Series (Daily)': {
    '2024-01-03': { '1. open': '184.2200', '2. high': '185.8800', '3. low': '183.4300', '4. close': '184.2500', '5. volume': '3176265' },
    '2024-01-02': { '1. open': '187.1500', '2. high': '188.4400', '3. low': '183.8850', '4. close': '185.6400', '5. volume': '4261153' },
  },
}, null, 2);

describe('JSON shapes: records by path, keys and document fields as columns', () => {
  test('Alpha Vantage TIME_SERIES_DAILY: entries of "Time Series (Daily)", the key as trade_date, the symbol from "Meta Data"', async () => {
    const store = new MemoryStore();
    const result = await transformObject(source('landing/daily_prices/IBM.json'), chunks(DAILY), dailyDataset, store, ARRIVAL);
    expect(result).toMatchObject({ read: 2, written: 2, quarantined: 0 });
    const dir = store.toDirectory();
    const rows = await query(`SELECT ticker, trade_date::VARCHAR AS d, open::VARCHAR AS open, low::VARCHAR AS low, volume FROM read_parquet('${dir}/daily_prices/**/*.parquet', hive_partitioning = true) ORDER BY 2`);
    expect(rows).toEqual([
      { ticker: 'IBM', d: '2024-01-02', open: '187.1500', low: '183.8850', volume: '4261153' },
      { ticker: 'IBM', d: '2024-01-03', open: '184.2200', low: '183.4300', volume: '3176265' },
    ]);
    const file = [...store.files.keys()].find((key) => key.startsWith('daily_prices/trade_date=2024-01-02/'))!;
    expect(readWithHyparquet(path.join(dir, file)).rows).toEqual([expect.objectContaining({ ticker: 'IBM', volume: '4261153' })]);
  });

  test('Alpha Vantage FX_DAILY: both currencies from "Meta Data"', async () => {
    const fx = compileDataset(datasetSchema.parse({
      name: 'fx_daily', ingest: 'batch', format: 'json',
      json: {
        recordPath: ['Time Series FX (Daily)', { keyAs: 'rate_date' }],
        fields: { open: ['1. open'], close: ['4. close'] },
        documentFields: { from_currency: ['Meta Data', '2. From Symbol'], to_currency: ['Meta Data', '3. To Symbol'] },
      },
      schema: [
        { name: 'from_currency', type: 'string', nullable: false },
        { name: 'to_currency', type: 'string', nullable: false },
        { name: 'rate_date', type: 'date', nullable: false },
        { name: 'open', type: 'double' },
        { name: 'close', type: 'double' },
      ],
      primaryKey: ['from_currency', 'to_currency', 'rate_date'],
    }));
    const document = JSON.stringify({
      'Meta Data': { '1. Information': 'Forex Daily Prices (open, high, low, close)', '2. From Symbol': 'EUR', '3. To Symbol': 'USD' },
      'Time Series FX (Daily)': { '2024-01-02': { '1. open': '1.1037', '2. high': '1.1046', '3. low': '1.0938', '4. close': '1.0940' } },
    });
    const store = new MemoryStore();
    expect(await transformObject(source('landing/fx_daily/EURUSD.json'), chunks(document, 5), fx, store, ARRIVAL)).toMatchObject({ read: 1, written: 1 });
    const rows = await query(`SELECT from_currency, to_currency, rate_date::VARCHAR AS d, open, close FROM read_parquet('${store.toDirectory()}/fx_daily/**/*.parquet')`);
    expect(rows).toEqual([{ from_currency: 'EUR', to_currency: 'USD', d: '2024-01-02', open: 1.1037, close: 1.094 }]);
  });

  const orders = compileDataset(datasetSchema.parse({
    name: 'orders', ingest: 'batch', format: 'json',
    json: { recordPath: [{}], fields: { city: ['customer', 'address', 'city'], order_id: ['id'] } },
    schema: [
      { name: 'order_id', type: 'bigint', nullable: false },
      { name: 'city', type: 'string' },
      { name: 'amount', type: 'double' },
    ],
    primaryKey: ['order_id'],
  }));

  test('a document that is one array of objects, with fields by path inside nested objects; a non-object element is quarantined', async () => {
    const store = new MemoryStore();
    const document = '[{"id": 1, "customer": {"address": {"city": "Lyon"}}, "amount": 9.5}, 42, {"id": 2, "amount": 1}]';
    const result = await transformObject(source('landing/orders/o.json'), chunks(document, 3), orders, store, ARRIVAL);
    expect(result).toMatchObject({ read: 3, written: 2, quarantined: 1 });
    expect(store.quarantineLines()).toEqual([expect.objectContaining({ line: 2, reason: 'expected a JSON object at 1', record: '42' })]);
    const rows = await query(`SELECT order_id, city, amount FROM read_parquet('${store.toDirectory()}/orders/**/*.parquet') ORDER BY 1`);
    expect(rows).toEqual([{ order_id: '1', city: 'Lyon', amount: 9.5 }, { order_id: '2', city: null, amount: 1 }]);
  });

  test('a truncated document fails the object as unreadable', async () => {
    await expect(transformObject(source('landing/orders/t.json'), chunks('[{"id": 1}, {"id": '), orders, new MemoryStore(), ARRIVAL))
      .rejects.toThrow(UnreadableObjectError);
  });

  test('jsonl with fields by path', async () => {
    const lines = compileDataset(datasetSchema.parse({
      name: 'events', ingest: 'batch', format: 'jsonl',
      json: { fields: { user_id: ['user', 'id'] } },
      schema: [{ name: 'user_id', type: 'string', nullable: false }, { name: 'kind', type: 'string' }],
      primaryKey: ['user_id'],
    }));
    const store = new MemoryStore();
    const result = await transformObject(source('landing/events/e.jsonl'), chunks('{"user": {"id": "u1"}, "kind": "view"}\n{"user_id": "u2"}\n'), lines, store, ARRIVAL);
    expect(result).toMatchObject({ read: 2, written: 1, quarantined: 1 });
    expect(store.quarantineLines()[0].reason).toMatch(/user_id/);
  });

  test('a document field that comes after the records quarantines them with the reason', async () => {
    const reversed = JSON.stringify({
      'Time Series (Daily)': { '2024-01-02': { '1. open': '1', '2. high': '1', '3. low': '1', '4. close': '1', '5. volume': '1' } },
      'Meta Data': { '2. Symbol': 'IBM' },
    });
    const store = new MemoryStore();
    expect(await transformObject(source('landing/daily_prices/late.json'), chunks(reversed), dailyDataset, store, ARRIVAL)).toMatchObject({ read: 1, quarantined: 1 });
    expect(store.quarantineLines()[0].reason).toBe('document field ticker (Meta Data/2. Symbol) was not found before the record at Time Series (Daily)/2024-01-02: it must precede the records in the document');
  });

  test('property: any keyed document, in any chunking, yields one row per entry, each with its key and the document field', async () => {
    const entry = fc.record({ open: fc.integer({ min: 0, max: 1_000_000 }), volume: fc.integer({ min: 0, max: 2 ** 40 }) });
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 40 }), fc.array(entry, { minLength: 40, maxLength: 40 }),
      fc.string({ minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 64 }),
      async (days, entries, symbol, chunkSize) => {
        const series = Object.fromEntries(days.map((day, index) => [new Date(Date.UTC(2015, 0, 1) + day * 86_400_000).toISOString().slice(0, 10),
          { '1. open': String(entries[index].open / 100), '2. high': '1', '3. low': '1', '4. close': '1', '5. volume': String(entries[index].volume) }]));
        const document = JSON.stringify({ 'Meta Data': { '2. Symbol': symbol }, 'Time Series (Daily)': series });
        const store = new MemoryStore();
        const result = await transformObject(source('landing/daily_prices/p.json'), chunks(document, chunkSize), dailyDataset, store, ARRIVAL);
        expect(result).toMatchObject({ read: days.length, written: days.length, quarantined: 0 });
        const dir = store.toDirectory();
        const rows = await query(`SELECT ticker, trade_date::VARCHAR AS d, volume FROM read_parquet('${dir}/daily_prices/**/*.parquet', hive_partitioning = true) ORDER BY 2`);
        expect(rows).toEqual(Object.keys(series).sort().map((d) => ({ ticker: symbol, d, volume: series[d]['5. volume'] })));
      }), { numRuns: 15 });
  });
});

describe('JSON shape config errors name file, field and what was expected', () => {
  const fxRates = (fixture: { lobs: Record<string, any> }) => fixture.lobs[FINANCE].datasets.find((d: { name: string }) => d.name === 'fx_rates');
  test('format json without recordPath', () => {
    expect(configErrorOf((fixture) => { Object.assign(fxRates(fixture), { format: 'json', nestedKeys: undefined }); }))
      .toMatch(/config\/lobs\/finance\.yaml.*json\.recordPath.*expected the path to the records/s);
  });
  test('a column the shape names that is not in the schema', () => {
    expect(configErrorOf((fixture) => {
      Object.assign(fxRates(fixture), { format: 'json', nestedKeys: undefined, json: { recordPath: [{ keyAs: 'nope' }] } });
    })).toMatch(/finance\.yaml: datasets\[1\]\.json\.recordPath\[0\]\.keyAs: expected a column of this dataset's schema; got "nope"/s);
  });
  test('json on a csv dataset', () => {
    expect(configErrorOf((fixture) => {
      fixture.lobs[FINANCE].datasets.find((d: { format: string }) => d.format === 'csv').json = { fields: {} };
    })).toMatch(/json.*only valid with format json or jsonl/s);
  });
  test('a column with two sources', () => {
    expect(configErrorOf((fixture) => {
      Object.assign(fxRates(fixture), { format: 'json', nestedKeys: undefined, json: { recordPath: [{ keyAs: 'date' }], fields: { date: ['d'] } } });
    })).toMatch(/json\.fields\.date.*already comes from json\.recordPath\[0\]\.keyAs/s);
  });
  test('a document field whose path could enclose the records', () => {
    expect(configErrorOf((fixture) => {
      Object.assign(fxRates(fixture), { format: 'json', nestedKeys: undefined, json: { recordPath: ['rates', { keyAs: 'date' }], documentFields: { from_currency: ['a.b'] } } });
    })).toMatch(/json\.documentFields\.from_currency.*could enclose the records/s);
  });
});

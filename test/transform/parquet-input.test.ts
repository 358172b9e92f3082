/**
 * Raw objects that are Parquet already (format: parquet), written by DuckDB, through the real
 * handler against the embedded S3 endpoint (ranged GETs included), outputs read back with DuckDB:
 * every declared type cast exactly or quarantined with the reason, read = written + quarantined,
 * drift under both policies, codecs, objects that are not Parquet, and a reader that holds one
 * row group at a time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { type StandardizedManifest } from '../../contract/standardized-layout';
import { toEnvironment, transformSettingsOf } from '../../contract/transform-settings';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import { type ByteRanges, bufferByteRanges } from '../../lambda/transform/object-bytes';
import { transformObject } from '../../lambda/transform/transform-object';
import { type DatasetConfig, datasetSchema } from '../../lib/config/lob-schema';
import { type EmbeddedS3, type Transform, startEmbeddedS3 } from '../../tools/local/embedded-lake';
import { query } from '../helpers/duckdb';
import { sparkParquetOf } from '../helpers/spark-parquet';
import { MemoryStore } from '../helpers/memory-store';

const RAW = 'acme-test-parquet-raw';
const STANDARDIZED = 'acme-test-parquet-standardized';
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), `lakeworks-parquet-${prefix}-`));
const work = tmp('inputs');

type Column = Record<string, unknown>;
const dataset = (name: string, schema: Column[], extra: Record<string, unknown> = {}): DatasetConfig =>
  datasetSchema.parse({ name, ingest: 'batch', format: 'parquet', schema, primaryKey: [schema[0].name], ...extra });

const TYPED = dataset('typed', [
  { name: 'id', type: 'int', nullable: false },
  { name: 'name', type: 'string', nullable: false },
  { name: 'big', type: 'bigint' },
  { name: 'price', type: 'double' },
  { name: 'flag', type: 'boolean' },
  { name: 'day', type: 'date', range: { min: '2000-01-01' } },
  { name: 'seen', type: 'timestamp' },
  { name: 'seen_utc', type: 'timestamp' },
  { name: 'amount', type: 'decimal(10,2)' },
  { name: 'rounded', type: 'decimal(10,2)', decimalRounding: 'round' },
  { name: 'wide', type: 'decimal(38,10)' },
  { name: 'ticker', type: 'string', source: 'Ticker Symbol', allowedValues: ['AAPL', 'MSFT'] },
]);
const LENIENT = dataset('lenient', [
  { name: 'id', type: 'int', nullable: false },
  { name: 'note', type: 'string' },
]);
const STRICT = dataset('strict', [
  { name: 'id', type: 'int', nullable: false },
  { name: 'note', type: 'string' },
], { drift: { extraColumns: 'quarantine', missingColumns: 'quarantine' } });
const REQUIRED = dataset('required', [
  { name: 'id', type: 'int', nullable: false },
  { name: 'note', type: 'string', nullable: false },
]);
const NUMBERS = dataset('numbers', [
  { name: 'id', type: 'int', nullable: false },
  { name: 'small', type: 'decimal(18,4)' },
  { name: 'wide', type: 'decimal(38,10)' },
  { name: 'i32', type: 'int' },
  { name: 'i64', type: 'bigint' },
]);
const ZONED = dataset('zoned', [
  { name: 'id', type: 'int', nullable: false },
  { name: 'local_time', type: 'timestamp' },
  { name: 'instant', type: 'timestamp' },
  { name: 'precise', type: 'timestamp' },
  { name: 'unsigned', type: 'bigint' },
  { name: 'day_text', type: 'date', format: 'MM/dd/yyyy' },
], { timeZone: 'America/New_York' });
const SPARK_WRITTEN = dataset('spark_written', [
  { name: 'id', type: 'int', nullable: false },
  { name: 'seen', type: 'timestamp' },
  { name: 'day', type: 'date' },
], { timeZone: 'America/New_York' });
const DATASETS = [TYPED, LENIENT, STRICT, REQUIRED, NUMBERS, ZONED, SPARK_WRITTEN];
const LOB = { datasets: DATASETS, transform: { rowGroupRows: 100_000, parquetIntegerEncoding: 'delta' as const, memoryMb: 1024, timeoutSeconds: 300 } };

/** Writes `select` to a Parquet file with DuckDB and returns its bytes. */
async function parquetOf(select: string, options: { rowGroupSize?: number; compression?: string } = {}): Promise<Buffer> {
  const file = path.join(work, `input-${Math.random().toString(36).slice(2)}.parquet`);
  await query(`COPY (${select}) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE ${options.rowGroupSize ?? 122880}, COMPRESSION ${options.compression ?? 'snappy'})`);
  return fs.readFileSync(file);
}

interface Outcome {
  readonly manifest?: StandardizedManifest;
  readonly quarantined: Array<{ line: number; reason: string; record: unknown }>;
  readonly unreadable?: { reason: string };
  /** The standardized folder the bucket was mirrored to. */
  readonly folder: string;
  readonly dataFiles: string[];
}

let lake: EmbeddedS3;
let transform: Transform;
let uploads = 0;

beforeAll(async () => {
  lake = await startEmbeddedS3({ directory: tmp('lake'), region: 'eu-west-1', buckets: [RAW, STANDARDIZED] });
  transform = lake.loadTransform(toEnvironment(transformSettingsOf(LOB, STANDARDIZED, { s3Endpoint: lake.endpoint, powertools: { logLevel: 'SILENT', metricsDisabled: true } })));
});
afterAll(async () => { await lake?.stop(); });

/** Uploads one object to landing/<dataset>/, delivers its event to the handler, and collects what it wrote. */
async function deliver(datasetName: string, body: Buffer): Promise<Outcome> {
  const before = new Set(await lake.keys(STANDARDIZED));
  const object = await lake.upload(RAW, `landing/${datasetName}/file-${++uploads}.parquet`, body);
  await transform.deliver([object]);
  const folder = tmp('out');
  await lake.mirror(STANDARDIZED, folder);
  const added = (await lake.keys(STANDARDIZED)).filter((key) => !before.has(key));
  const read = (key: string) => fs.readFileSync(path.join(folder, ...key.split('/')), 'utf8');
  const manifestKey = added.find((key) => key.startsWith('manifests/'));
  const unreadableKey = added.find((key) => key.includes('/unreadable/'));
  return {
    manifest: manifestKey ? JSON.parse(read(manifestKey)) : undefined,
    unreadable: unreadableKey ? JSON.parse(read(unreadableKey)) : undefined,
    quarantined: added.filter((key) => key.startsWith('quarantine/') && key.endsWith('.jsonl'))
      .flatMap((key) => read(key).trim().split('\n').map((line) => JSON.parse(line))),
    folder,
    dataFiles: added.filter((key) => key.endsWith('.parquet')).map((key) => path.join(folder, ...key.split('/'))),
  };
}

const readBack = (outcome: Outcome, select: string) =>
  query(`SELECT ${select} FROM read_parquet([${outcome.dataFiles.map((file) => `'${file}'`).join(', ')}]) ORDER BY 1`);

describe('Parquet input through the handler', () => {
  test('every declared type: exact values written, the rest quarantined with the reason; read = written + quarantined', async () => {
    const body = await parquetOf(`SELECT * FROM (VALUES
      (1::BIGINT, 'a', 9007199254740993::BIGINT, 1.5::DOUBLE, true, DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.123456', TIMESTAMPTZ '2024-01-02 03:04:05.5+02', 12.340::DECIMAL(12,3), 12.345::DECIMAL(12,3), 123456789012345678.1234567891::DECIMAL(38,10), 'AAPL'),
      (2, 'b', -9223372036854775808, -0.25, false, DATE '2000-01-01', TIMESTAMP '1970-01-01 00:00:00', TIMESTAMPTZ '1970-01-01 00:00:00+00', -0.01, 12.355, -0.0000000001, 'MSFT'),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (3000000000, 'c', 1, 1, true, DATE '2024-01-02', NULL, NULL, 1, 1, 1, 'AAPL'),
      (5, 'd', 1, 1, true, DATE '1999-12-31', NULL, NULL, 12.345, 1, 1, 'AAPL'),
      (6, 'e', 1, 1, true, DATE '2024-01-02', NULL, NULL, 123456789.99, 1, 1, 'IBM')
    ) AS t(id, name, big, price, flag, day, seen, seen_utc, amount, rounded, wide, "Ticker Symbol")`);
    const outcome = await deliver('typed', body);
    expect(outcome.unreadable).toBeUndefined();
    expect(outcome.manifest!.records).toEqual({ read: 6, written: 2, quarantined: 4, rounded: 2 });
    expect(outcome.quarantined.map(({ line, reason }) => [line, reason])).toEqual([
      [3, 'missing value for non-null column name'],
      [4, 'column id: expected an int (32-bit integer), got "3000000000"'],
      [5, 'column day: 1999-12-31 is below the minimum 2000-01-01; column amount: expected a decimal(10,2): "12.345" has more than 2 decimal places (DECIMAL(13,3))'],
      [6, 'column amount: expected a decimal(10,2): "123456789.99" has more than 8 digits before the decimal point (DECIMAL(13,3)); column ticker: "IBM" is not one of AAPL, MSFT'],
    ]);
    // The quarantined record shows the values as the file held them.
    expect(outcome.quarantined[2].record).toMatchObject({ id: 5, day: '1999-12-31', amount: '12.345' });
    const rows = await readBack(outcome, "id, name, big::VARCHAR AS big, price, flag, day::VARCHAR AS day, strftime(seen, '%Y-%m-%d %H:%M:%S.%f') AS seen, strftime(seen_utc, '%Y-%m-%d %H:%M:%S.%f') AS seen_utc, amount::VARCHAR AS amount, rounded::VARCHAR AS rounded, wide::VARCHAR AS wide, ticker");
    expect(rows).toEqual([
      { id: 1, name: 'a', big: '9007199254740993', price: 1.5, flag: true, day: '2024-01-02', seen: '2024-01-02 03:04:05.123456', seen_utc: '2024-01-02 01:04:05.500000', amount: '12.34', rounded: '12.34', wide: '123456789012345678.1234567891', ticker: 'AAPL' },
      { id: 2, name: 'b', big: '-9223372036854775808', price: -0.25, flag: false, day: '2000-01-01', seen: '1970-01-01 00:00:00.000000', seen_utc: '1970-01-01 00:00:00.000000', amount: '-0.01', rounded: '12.36', wide: '-0.0000000001', ticker: 'MSFT' },
    ]);
  });

  test('timestamps without a zone are wall-clock time in timeZone, instants are not; nanoseconds beyond the microsecond are refused; unsigned and text values', async () => {
    const body = await parquetOf(`SELECT * FROM (VALUES
      (1, TIMESTAMP '2024-07-04 09:30:00', TIMESTAMPTZ '2024-07-04 09:30:00+00', TIMESTAMP_NS '2024-07-04 09:30:00.123456', 4000000000::UINTEGER, '07/04/2024'),
      (2, NULL, NULL, TIMESTAMP_NS '2024-07-04 09:30:00.123456789', NULL, '2024-07-04')
    ) AS t(id, local_time, instant, precise, unsigned, day_text)`);
    const outcome = await deliver('zoned', body);
    expect(outcome.manifest!.records).toMatchObject({ read: 2, written: 1, quarantined: 1 });
    expect(outcome.quarantined.map((entry) => entry.reason)).toEqual([
      'column precise: 2024-07-04T09:30:00.123456789 is more precise than the microseconds a timestamp holds; column day_text: expected a date in format "MM/dd/yyyy", got "2024-07-04"',
    ]);
    expect(await readBack(outcome, "id, strftime(local_time, '%Y-%m-%d %H:%M') AS local_time, strftime(instant, '%Y-%m-%d %H:%M') AS instant, strftime(precise, '%H:%M:%S.%f') AS precise, unsigned, day_text::VARCHAR AS day_text")).toEqual([
      { id: 1, local_time: '2024-07-04 13:30', instant: '2024-07-04 09:30', precise: '13:30:00.123456', unsigned: '4000000000', day_text: '2024-07-04' },
    ]);
  });

  const SPARK_ROWS = `SELECT CAST(id AS INT) AS id, CAST(seen AS TIMESTAMP) AS seen, CAST(day AS DATE) AS day FROM VALUES
    (1, '2024-01-02 03:04:05.123456', '2024-01-02'), (2, '1970-01-01 00:00:00', '1970-01-01'), (3, '1899-12-31 23:59:59.999999', '1600-01-01'),
    (4, '1700-03-01 12:00:00', '1500-03-01'), (5, '2255-01-01 00:00:00', '9999-12-31'), (6, NULL, NULL) AS t(id, seen, day)`;
  const asText = "id, strftime(seen, '%Y-%m-%d %H:%M:%S.%f') AS seen, day::VARCHAR AS day";

  test("INT96 timestamps as Spark writes them are instants: the dataset's zone is not applied, and every value equals DuckDB's reading of the same file", async () => {
    const body = sparkParquetOf(SPARK_ROWS, { 'spark.sql.parquet.outputTimestampType': 'INT96', 'spark.sql.parquet.int96RebaseModeInWrite': 'CORRECTED', 'spark.sql.parquet.datetimeRebaseModeInWrite': 'CORRECTED' });
    const file = await fileOf(body);
    expect(await query(`SELECT type FROM parquet_schema('${file}') WHERE name = 'seen'`)).toEqual([{ type: 'INT96' }]);
    const outcome = await deliver('spark_written', body);
    expect(outcome.manifest!.records).toEqual({ read: 6, written: 6, quarantined: 0, rounded: 0 });
    const asDuckDbReadsIt = await query(`SELECT ${asText} FROM read_parquet('${file}') ORDER BY 1`);
    expect(asDuckDbReadsIt.slice(0, 4)).toEqual([
      { id: 1, seen: '2024-01-02 03:04:05.123456', day: '2024-01-02' },
      { id: 2, seen: '1970-01-01 00:00:00.000000', day: '1970-01-01' },
      { id: 3, seen: '1899-12-31 23:59:59.999999', day: '1600-01-01' },
      { id: 4, seen: '1700-03-01 12:00:00.000000', day: '1500-03-01' },
    ]);
    expect(await readBack(outcome, asText)).toEqual(asDuckDbReadsIt);
  });

  // Where the engines differ: DuckDB (like Athena) reads the legacy file's 1500-03-01 as 1500-03-11; the transform refuses to guess.
  test.each(['INT96', 'TIMESTAMP_MICROS'])("%s: dates and timestamps Spark wrote in its legacy calendar are kept where both calendars agree and quarantined, naming the setting, where they do not", async (outputTimestampType) => {
    const body = sparkParquetOf(SPARK_ROWS, { 'spark.sql.parquet.outputTimestampType': outputTimestampType, 'spark.sql.parquet.int96RebaseModeInWrite': 'LEGACY', 'spark.sql.parquet.datetimeRebaseModeInWrite': 'LEGACY' });
    const file = await fileOf(body);
    expect(await query(`SELECT ${asText} FROM read_parquet('${file}') WHERE id = 4`)).toEqual([{ id: 4, seen: '1700-03-01 12:00:00.000000', day: '1500-03-11' }]);
    const outcome = await deliver('spark_written', body);
    expect(outcome.manifest!.records).toEqual({ read: 6, written: 4, quarantined: 2, rounded: 0 });
    const key = outputTimestampType === 'INT96' ? 'org.apache.spark.legacyINT96' : 'org.apache.spark.legacyDateTime';
    const calendar = (name: string) => `written by Spark 3.5.6 in its legacy hybrid Julian calendar (${name}), in which it does not mean what it reads as; rewrite the file with spark.sql.parquet.${name === 'org.apache.spark.legacyINT96' ? 'int96RebaseModeInWrite' : 'datetimeRebaseModeInWrite'}=CORRECTED`;
    expect(outcome.quarantined.map(({ line, reason }) => [line, reason])).toEqual([
      [3, `column seen: 1899-12-31T23:59:59.999999Z is a timestamp before 1900-01-01T00:00:00Z: the file was ${calendar(key)}`],
      [4, `column seen: 1700-03-01T12:00:00.000000Z is a timestamp before 1900-01-01T00:00:00Z: the file was ${calendar(key)}; column day: 1500-03-11 is a date before 1582-10-15: the file was ${calendar('org.apache.spark.legacyDateTime')}`],
    ]);
    expect(await readBack(outcome, asText)).toEqual([
      { id: 1, seen: '2024-01-02 03:04:05.123456', day: '2024-01-02' },
      { id: 2, seen: '1970-01-01 00:00:00.000000', day: '1970-01-01' },
      { id: 5, seen: '2255-01-01 00:00:00.000000', day: '9999-12-31' },
      { id: 6, seen: null, day: null },
    ]);
  });

  test('several row groups, each codec DuckDB writes: every row read once, in order', async () => {
    const select = 'SELECT i::INTEGER AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE \'n\' || i END AS note FROM range(10000) t(i)';
    for (const compression of ['uncompressed', 'snappy', 'zstd', 'gzip', 'brotli']) {
      const body = await parquetOf(select, { rowGroupSize: 2048, compression });
      const groups = await query(`SELECT count(DISTINCT row_group_id)::INTEGER AS n FROM parquet_metadata('${await fileOf(body)}')`);
      expect(groups[0].n).toBeGreaterThanOrEqual(4);
      const outcome = await deliver('lenient', body);
      expect({ compression, records: outcome.manifest?.records }).toEqual({ compression, records: { read: 10000, written: 10000, quarantined: 0, rounded: 0 } });
      const summary = await readBack(outcome, 'count(*)::INTEGER AS rows, sum(id)::BIGINT::VARCHAR AS ids, count(note)::INTEGER AS notes');
      expect(summary).toEqual([{ rows: 10000, ids: String((9999 * 10000) / 2), notes: 10000 - Math.ceil(10000 / 7) }]);
    }
  });

  test('a codec the reader lacks (LZ4) makes the object unreadable, naming it', async () => {
    const outcome = await deliver('lenient', await parquetOf('SELECT 1::INTEGER AS id', { compression: 'lz4_raw' }));
    expect(outcome.unreadable?.reason).toMatch(/^row group 1 of 1 cannot be read: .*LZ4/);
    expect(outcome.manifest).toBeUndefined();
  });

  test('drift: extra and missing columns under both policies', async () => {
    const extra = await parquetOf("SELECT 1::INTEGER AS id, 'x' AS note, 42 AS added");
    const missing = await parquetOf('SELECT 1::INTEGER AS id');

    const extraLenient = await deliver('lenient', extra);
    expect(extraLenient.manifest).toMatchObject({ records: { read: 1, written: 1, quarantined: 0 }, drift: { extraColumns: ['added'], missingColumns: [] } });
    const missingLenient = await deliver('lenient', missing);
    expect(missingLenient.manifest).toMatchObject({ records: { read: 1, written: 1, quarantined: 0 }, drift: { extraColumns: [], missingColumns: ['note'] } });
    expect(await readBack(missingLenient, 'id, note')).toEqual([{ id: 1, note: null }]);

    const extraStrict = await deliver('strict', extra);
    expect(extraStrict.manifest).toMatchObject({ records: { read: 1, written: 0, quarantined: 1 } });
    expect(extraStrict.quarantined).toEqual([{ line: 1, reason: 'found the Parquet columns "id", "note", "added", which has "added" that the schema does not name (drift.extraColumns: quarantine)', record: '{"id":1,"note":"x","added":42}' }].map((entry) => expect.objectContaining(entry)));
    const missingStrict = await deliver('strict', missing);
    expect(missingStrict.quarantined.map((entry) => entry.reason)).toEqual(['found the Parquet columns "id", which lacks "note" (drift.missingColumns: quarantine)']);

    const missingRequired = await deliver('required', missing);
    expect(missingRequired.quarantined.map((entry) => entry.reason)).toEqual(['found the Parquet columns "id", which lacks the non-nullable column "note" (map a column to its Parquet column name with source)']);
  });

  test('a column of a type no column type holds (a list) refuses the object when the schema reads it, and is ignored when not', async () => {
    const refused = await deliver('lenient', await parquetOf('SELECT 1::INTEGER AS id, [1, 2] AS note'));
    expect(refused.quarantined.map((entry) => entry.reason)).toEqual(['found Parquet columns the schema reads that cannot be read: column "note": nested (a group or repeated field), not one value per row']);
    const ignored = await deliver('lenient', await parquetOf("SELECT 1::INTEGER AS id, 'x' AS note, [1, 2] AS extra_list"));
    expect(ignored.manifest).toMatchObject({ records: { read: 1, written: 1, quarantined: 0 }, drift: { extraColumns: ['extra_list'] } });
  });

  test('objects that are not Parquet are unreadable, each with its reason', async () => {
    const good = await parquetOf("SELECT 1::INTEGER AS id, 'x' AS note");
    const cases: Array<[string, Buffer, RegExp]> = [
      ['truncated footer', good.subarray(0, good.length - 10), /^not a Parquet file: .*PAR1/],
      ['text', Buffer.from('id,note\n1,x\n'), /^not a Parquet file: /],
      ['empty', Buffer.alloc(0), /^not a Parquet file: the object is empty$/],
      ['gzip-compressed', require('node:zlib').gzipSync(good), /^not a Parquet file: gzip-compressed/],
    ];
    for (const [what, body, reason] of cases) {
      const outcome = await deliver('lenient', body);
      expect({ what, reason: outcome.unreadable?.reason }).toEqual({ what, reason: expect.stringMatching(reason) });
      expect(outcome.manifest).toBeUndefined();
    }
  });
});

/** Writes bytes to a file DuckDB can read, and returns its path. */
async function fileOf(body: Buffer): Promise<string> {
  const file = path.join(work, `copy-${Math.random().toString(36).slice(2)}.parquet`);
  fs.writeFileSync(file, body);
  return file;
}


describe('the Parquet reader', () => {
  test('holds one row group at a time: every range it reads after the footer lies within one row group', async () => {
    const body = await parquetOf("SELECT i::INTEGER AS id, md5(i::VARCHAR) AS note FROM range(200000) t(i)", { rowGroupSize: 20480 });
    const file = await fileOf(body);
    const chunks = await query(`SELECT row_group_id::INTEGER AS grp, min(coalesce(dictionary_page_offset, data_page_offset))::BIGINT::VARCHAR AS start_text,
      max(coalesce(dictionary_page_offset, data_page_offset) + total_compressed_size)::BIGINT::VARCHAR AS end_text FROM parquet_metadata('${file}') GROUP BY 1 ORDER BY 1`);
    const groups = chunks.map((chunk) => ({ start: Number(chunk.start_text), end: Number(chunk.end_text) }));
    expect(groups.length).toBeGreaterThanOrEqual(8);
    const ranges: Array<[number, number]> = [];
    const inMemory = bufferByteRanges(body);
    const counting: ByteRanges = { byteLength: body.length, read: (start, end) => { ranges.push([start, end]); return inMemory.read(start, end); } };
    const result = await transformObject({ bucket: 'raw', key: 'landing/lenient/big.parquet', version: 'v1' }, counting, compileDataset(LENIENT), new MemoryStore(), { ingestedAt: new Date() });
    expect(result).toMatchObject({ read: 200000, written: 200000, quarantined: 0 });
    const [footer, ...rest] = ranges;
    expect(footer[1]).toBe(body.length);
    expect(footer[1] - footer[0]).toBeLessThanOrEqual(64 * 1024);
    const largestGroup = Math.max(...groups.map((group) => group.end - group.start));
    for (const [start, end] of rest.filter(([start]) => start < groups.at(-1)!.end)) {
      expect(groups.some((group) => start >= group.start && end <= group.end)).toBe(true);
      expect(end - start).toBeLessThanOrEqual(largestGroup);
    }
    const bytesRead = ranges.reduce((sum, [start, end]) => sum + end - start, 0);
    // Each row group once, and the footer: never the whole object in one read, nor any part twice over.
    expect(bytesRead).toBeLessThan(body.length * 1.1);
    expect(Math.max(...ranges.map(([start, end]) => end - start))).toBeLessThan(body.length / 4);
  });

  test('property: random int, bigint and decimal values round-trip exactly (or are quarantined when out of range)', async () => {
    const decimal = (precision: number, scale: number) => fc.bigInt({ min: -(10n ** BigInt(precision)) + 1n, max: 10n ** BigInt(precision) - 1n })
      .map((unscaled) => ({ unscaled, text: `${unscaled < 0n ? '-' : ''}${(unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0').replace(new RegExp(`(\\d{${scale}})$`), '.$1')}` }));
    const row = fc.record({
      small: decimal(18, 4),
      wide: decimal(38, 10),
      i32: fc.bigInt({ min: -(2n ** 32n), max: 2n ** 32n }),
      i64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    });
    await fc.assert(fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
      // Parenthesized: SQL applies a leading minus after the cast, and 2^63 alone is no BIGINT.
      const values = rows.map((value, index) => `(${index + 1}, ${value.small.text}::DECIMAL(18,4), ${value.wide.text}::DECIMAL(38,10), (${value.i32})::BIGINT, (${value.i64})::BIGINT)`);
      const body = await parquetOf(`SELECT * FROM (VALUES ${values.join(', ')}) AS t(id, small, wide, i32, i64)`);
      const store = new MemoryStore();
      const result = await transformObject({ bucket: 'raw', key: 'landing/numbers/p.parquet', version: 'v1' }, bufferByteRanges(body), compileDataset(NUMBERS), store, { ingestedAt: new Date() });
      const inInt = (value: bigint) => value >= -(2n ** 31n) && value < 2n ** 31n;
      const expected = rows.map((value, index) => ({ id: index + 1, ...value })).filter((value) => inInt(value.i32));
      expect(result).toMatchObject({ read: rows.length, written: expected.length, quarantined: rows.length - expected.length });
      if (expected.length === 0) return;
      const files = [...store.files].filter(([key]) => key.endsWith('.parquet')).map(([, file]) => fileOf(file));
      const written = await query(`SELECT id, small::VARCHAR AS small, wide::VARCHAR AS wide, i32::VARCHAR AS i32, i64::VARCHAR AS i64
        FROM read_parquet([${(await Promise.all(files)).map((file) => `'${file}'`).join(', ')}]) ORDER BY id`);
      const normal = (text: string) => (text.startsWith('.') ? `0${text}` : text.startsWith('-.') ? `-0${text.slice(1)}` : text);
      expect(written).toEqual(expected.map((value) => ({ id: value.id, small: normal(value.small.text), wide: normal(value.wide.text), i32: String(value.i32), i64: String(value.i64) })));
    }), { numRuns: 8 });
  });
});

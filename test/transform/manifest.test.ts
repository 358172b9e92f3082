/**
 * The manifest the transform writes per raw object (contract/standardized-layout.ts): read back as
 * the curation jobs read it, and checked against the files actually written, on success, on
 * failure part way, on replay, and through the handler from the event's time.
 */
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { objectCreatedEvent } from '../../contract/object-created-event';
import { MANIFEST_FORMAT, type StandardizedManifest, sourceOutputsKey } from '../../contract/standardized-layout';
import { transformSettingsOf, toEnvironment } from '../../contract/transform-settings';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import type { OutputFile } from '../../lambda/transform/partitioned-writer';
import { sourceIdOf, transformObject } from '../../lambda/transform/transform-object';
import { loadTransformHandler } from '../../tools/local/embedded-lake';
import { query } from '../helpers/duckdb';
import { sampleConfig } from '../helpers/sample-app';
import { MemoryStore } from '../helpers/memory-store';

const finance = sampleConfig().lobs.find((lob) => lob.name === 'finance')!;
const stockPrices = compileDataset(finance.datasets.find((d) => d.name === 'stock_prices')!);

const HEADER = 'ticker,date,open,high,low,close,adj_close,volume';
const SOURCE = { bucket: 'raw', key: 'landing/stock_prices/a.csv', version: 'v1' };
const INGESTED_AT = new Date('2024-01-02T22:10:05Z');
const WRITTEN_AT = new Date('2024-01-03T00:00:01.500Z');
const options = (extra: { clock?: () => Date; rowGroupRows?: number } = {}) => ({ ingestedAt: INGESTED_AT, clock: () => WRITTEN_AT, ...extra });

/** Three days of rows, two of them bad; small row groups give several files per day. */
const CSV = `${HEADER}\n${Array.from({ length: 30 }, (_, i) => `T${i % 4},2024-01-0${2 + (i % 3)},1,2,1,${i}.5,1,${i}`).join('\n')}\nBAD,2024-02-30,1,1,1,1,1,1\nSHORT,2024-01-02\n`;

/** Records the order of puts, and fails the put of a matching key before or after storing it. */
class RecordingStore extends MemoryStore {
  public readonly puts: string[] = [];
  constructor(private readonly failOn?: { key: RegExp; after: 'stored' | 'nothing' }) { super(); }
  public override async put(file: OutputFile): Promise<void> {
    this.puts.push(file.key);
    if (this.failOn?.key.test(file.key) && this.failOn.after === 'nothing') throw new Error(`put ${file.key} failed`);
    await super.put(file);
    if (this.failOn?.key.test(file.key)) throw new Error(`put ${file.key} failed part way`);
  }
}

/** The manifest as glue-scripts/src/lakeworks_curation/manifests.py reads it: JSON, its format checked. */
function readManifest(body: Buffer): StandardizedManifest {
  const document = JSON.parse(body.toString('utf8'));
  if (document.format !== MANIFEST_FORMAT) throw new Error(`format ${document.format}`);
  return document;
}

const manifestsIn = (store: MemoryStore) => [...store.files.keys()].filter((key) => key.startsWith('manifests/'));

async function rowsPerFile(store: MemoryStore): Promise<Record<string, number>> {
  const dir = store.toDirectory('lakeworks-manifest-');
  const rows = await query(`SELECT filename, count(*)::INT AS n FROM read_parquet('${dir}/stock_prices/**/*.parquet', filename = true) GROUP BY filename`);
  return Object.fromEntries(rows.map((row) => [path.relative(dir, String(row.filename)), Number(row.n)]));
}

describe('the manifest of a transformed object', () => {
  test('names every file written, with the rows DuckDB finds in it, the counts, the source and both times', async () => {
    const store = new RecordingStore();
    const result = await transformObject(SOURCE, Readable.from([Buffer.from(CSV)]), stockPrices, store, options({ rowGroupRows: 4 }));
    const sourceId = sourceIdOf(SOURCE);
    // Filed under the day it was written, not the day the object arrived.
    expect(result.manifest).toBe(`manifests/stock_prices/2024-01-03/${sourceId}.json`);
    expect(manifestsIn(store)).toEqual([result.manifest]);
    const manifest = readManifest(store.files.get(result.manifest)!);
    expect(manifest).toEqual({
      format: MANIFEST_FORMAT,
      dataset: 'stock_prices',
      source: { bucket: 'raw', key: 'landing/stock_prices/a.csv', version: 'v1' },
      ingestedAt: '2024-01-02T22:10:05.000Z',
      writtenAt: '2024-01-03T00:00:01.500Z',
      records: { read: 32, written: 30, quarantined: 2, rounded: 0 },
      files: expect.any(Array),
      quarantine: [`quarantine/stock_prices/part-${sourceId}-00000.jsonl`],
    });
    const parquet = [...store.files.keys()].filter((key) => key.endsWith('.parquet'));
    expect(parquet.length).toBeGreaterThan(3);
    expect(Object.fromEntries(manifest.files.map((file) => [file.key, file.rows]))).toEqual(await rowsPerFile(store));
    expect(manifest.files.reduce((sum, file) => sum + file.rows, 0)).toBe(result.written);
    expect(manifest.quarantine.every((key) => store.files.has(key))).toBe(true);
    // outputs stay the data and quarantine files; the manifest is reported apart.
    expect([...result.outputs].sort()).toEqual([...parquet, ...manifest.quarantine].sort());
  });

  test('is put after every file it names, followed only by the source\'s outputs record', async () => {
    const store = new RecordingStore();
    const result = await transformObject(SOURCE, Readable.from([Buffer.from(CSV)]), stockPrices, store, options({ rowGroupRows: 4 }));
    expect(store.puts.slice(-2)).toEqual([result.manifest, sourceOutputsKey('stock_prices', sourceIdOf(SOURCE))]);
    expect(store.puts.filter((key) => key === result.manifest)).toHaveLength(1);
  });

  test.each([
    ['a data file\'s put fails', { key: /date=2024-01-03\/part-.*-00001\.parquet$/, after: 'nothing' as const }],
    ['the quarantine file\'s put fails', { key: /^quarantine\//, after: 'nothing' as const }],
    ['the manifest\'s put fails before storing it', { key: /^manifests\//, after: 'nothing' as const }],
    ['the manifest\'s put fails after storing it', { key: /^manifests\//, after: 'stored' as const }],
  ])('%s: the attempt leaves no manifest and no outputs', async (_name, failOn) => {
    const store = new RecordingStore(failOn);
    await expect(transformObject(SOURCE, Readable.from([Buffer.from(CSV)]), stockPrices, store, options({ rowGroupRows: 4 }))).rejects.toThrow(/failed/);
    expect(store.puts.length).toBeGreaterThan(0);
    expect([...store.files.keys()]).toEqual([]);
  });

  test('an object that turns out unreadable after files were written leaves no manifest and no outputs', async () => {
    const store = new RecordingStore();
    const body = [Buffer.from(`${HEADER}\n${'AAPL,2024-01-02,1,1,1,1,1,1\n'.repeat(10)}`), Buffer.from([0x00, 0x01, 0x02])];
    await expect(transformObject(SOURCE, Readable.from(body), stockPrices, store, options({ rowGroupRows: 2 }))).rejects.toThrow(/binary content/);
    expect(store.puts.some((key) => key.endsWith('.parquet'))).toBe(true);
    expect([...store.files.keys()]).toEqual([]);
  });

  test('the same event transformed twice the same day: the same key, naming the same files', async () => {
    const first = new RecordingStore();
    const second = new RecordingStore();
    const a = await transformObject(SOURCE, Readable.from([Buffer.from(CSV)]), stockPrices, first, options({ rowGroupRows: 4, clock: () => new Date('2024-01-03T00:00:01Z') }));
    const b = await transformObject(SOURCE, Readable.from([Buffer.from(CSV)]), stockPrices, second, options({ rowGroupRows: 4, clock: () => new Date('2024-01-03T23:59:59Z') }));
    expect(b.manifest).toBe(a.manifest);
    const { writtenAt: firstWritten, ...firstRest } = readManifest(first.files.get(a.manifest)!);
    const { writtenAt: secondWritten, ...secondRest } = readManifest(second.files.get(b.manifest)!);
    expect(secondRest).toEqual(firstRest);
    expect([firstWritten, secondWritten]).toEqual(['2024-01-03T00:00:01.000Z', '2024-01-03T23:59:59.000Z']);
  });

  test('an object whose every record was quarantined still gets one, with no files', async () => {
    const store = new RecordingStore();
    const result = await transformObject(SOURCE, Readable.from([Buffer.from(`${HEADER}\nBAD,2024-02-30,1,1,1,1,1,1\nSHORT\n`)]), stockPrices, store, options());
    const manifest = readManifest(store.files.get(result.manifest)!);
    expect(manifest.files).toEqual([]);
    expect(manifest.records).toEqual({ read: 2, written: 0, quarantined: 2, rounded: 0 });
    expect(manifest.quarantine).toEqual([expect.stringMatching(/^quarantine\/stock_prices\/part-[0-9a-f]{20}-00000\.jsonl$/)]);
    expect(store.puts.at(-2)).toBe(result.manifest);
  });

  test('an empty object gets one that names nothing', async () => {
    const store = new RecordingStore();
    const result = await transformObject(SOURCE, Readable.from([Buffer.from(`${HEADER}\n`)]), stockPrices, store, options());
    expect(readManifest(store.files.get(result.manifest)!)).toMatchObject({ records: { read: 0, written: 0, quarantined: 0, rounded: 0 }, files: [], quarantine: [] });
    expect([...store.files.keys()]).toEqual([result.manifest, sourceOutputsKey('stock_prices', sourceIdOf(SOURCE))]);
  });

  test('without a clock, writtenAt is now and picks the folder', async () => {
    const store = new RecordingStore();
    const before = new Date();
    const result = await transformObject(SOURCE, Readable.from([Buffer.from(CSV)]), stockPrices, store, { ingestedAt: INGESTED_AT });
    const writtenAt = new Date(readManifest(store.files.get(result.manifest)!).writtenAt);
    expect(writtenAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(writtenAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(result.manifest.split('/')[2]).toBe(writtenAt.toISOString().slice(0, 10));
  });
});

describe('the handler', () => {
  const s3 = mockClient(S3Client);
  let loaded: ReturnType<typeof loadTransformHandler>;
  let handler: ReturnType<typeof loadTransformHandler>['handler'];
  const context = { functionName: 'test', awsRequestId: 'test', getRemainingTimeInMillis: () => 900_000 } as unknown as Context;
  const sqsEvent = (body: string) => ({ Records: [{ messageId: 'm-1', receiptHandle: 'r', body, attributes: { ApproximateReceiveCount: '1' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:transform', awsRegion: 'eu-west-1' }] } as unknown as SQSEvent);

  beforeAll(() => {
    loaded = loadTransformHandler({
      AWS_REGION: 'eu-west-1',
      // Quiet: the handler's logger and metrics read these when its module loads.
      ...toEnvironment(transformSettingsOf(finance, 'standardized', { powertools: { logLevel: 'SILENT', metricsDisabled: true } })),
    });
    handler = loaded.handler;
  });
  afterAll(() => loaded.restore());
  beforeEach(() => {
    s3.reset();
    // The raw object; in standardized, no earlier outputs record (a source's first transform).
    s3.on(GetObjectCommand).callsFake(async (input) => {
      if (input.Bucket === 'standardized') throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
      return { Body: Readable.from([Buffer.from(CSV)]) };
    });
    s3.on(PutObjectCommand).resolves({});
  });

  test('puts the manifest last, as JSON, with the event\'s time as ingestedAt', async () => {
    const body = JSON.stringify(objectCreatedEvent({ bucket: 'raw', key: 'landing/stock_prices/a.csv', size: CSV.length, etag: '"0123456789abcdef0123456789abcdef"', versionId: 'v9', time: new Date('2024-01-02T22:10:05Z') }));
    const before = new Date();
    expect(await handler(sqsEvent(body), context)).toEqual({ batchItemFailures: [] });
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.at(-1)).toMatchObject({ Bucket: 'standardized', Key: expect.stringMatching(/^outputs\/stock_prices\/[0-9a-f]{20}\.json$/), ContentType: 'application/json' });
    const last = puts.at(-2)!;
    expect(last).toMatchObject({ Bucket: 'standardized', Key: expect.stringMatching(/^manifests\/stock_prices\/\d{4}-\d{2}-\d{2}\/[0-9a-f]{20}\.json$/), ContentType: 'application/json' });
    const manifest = readManifest(last.Body as Buffer);
    expect(manifest).toMatchObject({ ingestedAt: '2024-01-02T22:10:05.000Z', source: { bucket: 'raw', key: 'landing/stock_prices/a.csv', version: 'v9' }, records: { read: 32, written: 30, quarantined: 2 } });
    expect(new Date(manifest.writtenAt).getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(manifest.files.map((file) => file.key).sort()).toEqual(puts.filter((put) => put.ContentType === 'application/vnd.apache.parquet').map((put) => put.Key).sort());
    expect(manifest.quarantine).toEqual(puts.filter((put) => put.ContentType === 'application/x-ndjson').map((put) => put.Key));
  });

  test('settings it refuses fail every message before any object is read, until they are fixed', async () => {
    const body = JSON.stringify(objectCreatedEvent({ bucket: 'raw', key: 'landing/stock_prices/a.csv', size: CSV.length, etag: 'e', versionId: 'v9', time: new Date() }));
    const rowGroupRows = process.env.ROW_GROUP_ROWS;
    try {
      process.env.ROW_GROUP_ROWS = 'abc';
      expect(await handler(sqsEvent(body), context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
      expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    } finally {
      process.env.ROW_GROUP_ROWS = rowGroupRows;
    }
    expect(await handler(sqsEvent(body), context)).toEqual({ batchItemFailures: [] });
  });

  test('an event without time fails its message before the object is read', async () => {
    const { time: _time, ...timeless } = objectCreatedEvent({ bucket: 'raw', key: 'landing/stock_prices/a.csv', size: 1, etag: 'e', versionId: 'v9', time: new Date() });
    expect(await handler(sqsEvent(JSON.stringify(timeless)), context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-1' }] });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});

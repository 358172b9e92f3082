/**
 * An object larger than one invocation handles (contract/object-size-limit.ts) is refused before
 * it is read, through the real handler on the embedded S3 endpoint: an unreadable marker with its
 * size, the limit and what to do, the ObjectsUnreadable path, then the dead-letter queue after the
 * queue's retries. A limit of a few MB stands in for the one the function's memory and timeout give.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { toEnvironment, transformSettingsOf } from '../../contract/transform-settings';
import { startEmbeddedS3 } from '../../tools/local/embedded-lake';
import { sampleConfig } from '../helpers/sample-app';

const RAW = 'acme-test-finance-raw';
const STANDARDIZED = 'acme-test-finance-standardized';
const finance = sampleConfig().lobs.find((lob) => lob.name === 'finance')!;
const MB = 1024 * 1024;
const LIMIT = { plainMb: 2, gzipMb: 1, parquetMb: 1 };

/** At most `bytes` of stock rows, with prices that vary row by row so that gzip shrinks them only a few times. */
function pricesCsv(bytes: number): Buffer {
  const lines = ['ticker,date,open,high,low,close,adj_close,volume'];
  let size = lines[0].length + 1;
  for (let n = 0; ; n++) {
    const price = ((n * 7919) % 100_000) / 100 + 1;
    const line = `T${n % 997},2024-01-02,${price},${price + 1},${price - 0.5},${price + 0.25},${price + 0.25},${(n * 104_729) % 9_999_991}`;
    if (size + line.length + 1 > bytes) break;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

test('objects over the limit are refused unread with the reason; one within it is transformed', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-oversize-'));
  const lake = await startEmbeddedS3({ directory: path.join(work, 's3'), region: 'eu-west-1', buckets: [RAW, STANDARDIZED] });
  try {
    const settings = transformSettingsOf(finance, STANDARDIZED, { s3Endpoint: lake.endpoint, powertools: { logLevel: 'SILENT', metricsDisabled: true }, objectSizeLimit: LIMIT });
    const transform = lake.loadTransform(toEnvironment(settings));
    const tooLarge = pricesCsv(3 * MB);
    const gzip = gzipSync(pricesCsv(5 * MB));
    const within = pricesCsv(1.5 * MB);
    expect(gzip.length).toBeGreaterThan(LIMIT.gzipMb * MB);
    expect(gzip.length).toBeLessThan(LIMIT.plainMb * MB);
    const objects = [
      await lake.upload(RAW, 'landing/stock_prices/too-large.csv', tooLarge),
      await lake.upload(RAW, 'landing/stock_prices/too-large-gzip.csv', gzip),
      await lake.upload(RAW, 'landing/stock_prices/within.csv', within),
    ];
    const deadLetters = await transform.deliver(objects);
    expect(deadLetters.map((object) => object.key)).toEqual(['landing/stock_prices/too-large.csv', 'landing/stock_prices/too-large-gzip.csv']);

    const keys = await lake.keys(STANDARDIZED);
    const markers = keys.filter((key) => key.startsWith('quarantine/stock_prices/unreadable/'));
    const reasons = await Promise.all(markers.map(async (Key) => JSON.parse(await (await lake.s3.send(new GetObjectCommand({ Bucket: STANDARDIZED, Key }))).Body!.transformToString())));
    const reasonOf = (key: string) => reasons.find((marker) => marker.source === `s3://${RAW}/${key}`)?.reason;
    expect(reasonOf('landing/stock_prices/too-large.csv')).toBe('object is 3 MB; the transform handles up to 2 MB in one invocation with its configured memory and timeout '
      + '(transform.memoryMb, transform.timeoutSeconds); split it, or raise them (docs/datasets.md#objects-too-large-for-one-invocation)');
    expect(reasonOf('landing/stock_prices/too-large-gzip.csv')).toMatch(/^object is 2 MB of gzip; the transform handles up to 1 MB of gzip in one invocation/);
    expect(markers).toHaveLength(2);
    // Only the object within the limit wrote data and a manifest.
    const manifests = keys.filter((key) => key.startsWith('manifests/'));
    expect(manifests).toHaveLength(1);
    const manifest = JSON.parse(await (await lake.s3.send(new GetObjectCommand({ Bucket: STANDARDIZED, Key: manifests[0] }))).Body!.transformToString());
    expect(manifest.source.key).toBe('landing/stock_prices/within.csv');
    expect(manifest.records.quarantined).toBe(0);
  } finally {
    await lake.stop();
  }
}, 60_000);

test('a Parquet object over the Parquet limit is refused by its size before its footer is read', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-oversize-parquet-'));
  const lake = await startEmbeddedS3({ directory: path.join(work, 's3'), region: 'eu-west-1', buckets: [RAW, STANDARDIZED] });
  try {
    const stockPrices = finance.datasets.find((dataset) => dataset.name === 'stock_prices')!;
    const parquetLob = { ...finance, datasets: [{ ...stockPrices, format: 'parquet' as const, csv: undefined }] };
    const settings = transformSettingsOf(parquetLob, STANDARDIZED, { s3Endpoint: lake.endpoint, powertools: { logLevel: 'SILENT', metricsDisabled: true }, objectSizeLimit: LIMIT });
    const transform = lake.loadTransform(toEnvironment(settings));
    // Not Parquet at all: only the size may decide, so the reason must be the size.
    const object = await lake.upload(RAW, 'landing/stock_prices/too-large.parquet', Buffer.alloc(1.5 * MB, 7));
    const deadLetters = await transform.deliver([object]);
    expect(deadLetters.map((letter) => letter.key)).toEqual(['landing/stock_prices/too-large.parquet']);
    const markers = (await lake.keys(STANDARDIZED)).filter((key) => key.startsWith('quarantine/stock_prices/unreadable/'));
    expect(markers).toHaveLength(1);
    const marker = JSON.parse(await (await lake.s3.send(new GetObjectCommand({ Bucket: STANDARDIZED, Key: markers[0] }))).Body!.transformToString());
    expect(marker.reason).toMatch(/^object is 2 MB of Parquet; the transform handles up to 1 MB of Parquet in one invocation/);
  } finally {
    await lake.stop();
  }
}, 60_000);

/**
 * The embedded lake local mode and the smoke tests share (tools/local/embedded-lake.ts): the real
 * handler receives SQS-shaped batches with SQS's redelivery of failed messages; buckets are created
 * once and kept with the endpoint's directory; a bucket mirrors to a folder; the environment the
 * handler was loaded with is gone after stop().
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { createdObjectOf } from '../../contract/object-created-event';
import { toEnvironment, transformSettingsOf } from '../../contract/transform-settings';
import * as handlerModule from '../../lambda/transform/handler';
import { BATCH_SIZE, MAX_RECEIVE_COUNT, startEmbeddedS3 } from '../../tools/local/embedded-lake';
import { sampleConfig } from '../helpers/sample-app';

const RAW = 'acme-test-finance-raw';
const STANDARDIZED = 'acme-test-finance-standardized';
const finance = sampleConfig().lobs.find((lob) => lob.name === 'finance')!;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-embedded-'));
const CSV = 'ticker,date,open,high,low,close,adj_close,volume\nAAPL,2024-01-02,1,1,1,1,1,1\n';
/** gzip's magic number and then nothing gzip can read: unreadable, on every delivery. */
const CORRUPT_GZIP = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef]);

describe('embedded lake', () => {
  afterEach(() => { jest.restoreAllMocks(); });

  test('batches of up to 10 in order; a failed message is delivered again until maxReceiveCount, then dead-lettered', async () => {
    const lake = await startEmbeddedS3({ directory: tmp(), region: 'eu-west-1', buckets: [RAW, STANDARDIZED] });
    try {
      const handler = jest.spyOn(handlerModule, 'handler');
      const transform = lake.loadTransform(toEnvironment(transformSettingsOf(finance, STANDARDIZED, { s3Endpoint: lake.endpoint, powertools: { logLevel: 'SILENT', metricsDisabled: true } })));
      expect(process.env.STANDARDIZED_BUCKET).toBe(STANDARDIZED);
      const objects = [];
      for (let day = 1; day <= 11; day += 1) objects.push(await lake.upload(RAW, `landing/stock_prices/day-${day}.csv`, CSV));
      const corrupt = await lake.upload(RAW, 'landing/stock_prices/corrupt.csv.gz', CORRUPT_GZIP);
      objects.splice(3, 0, corrupt);

      const deadLetters = await transform.deliver(objects);
      expect(deadLetters).toEqual([corrupt]);
      const deliveries = handler.mock.calls.map(([event]) => (event as SQSEvent).Records.map((record) => [createdObjectOf(record.body).source.key, record.attributes.ApproximateReceiveCount]));
      expect(deliveries.map((batch) => batch.length)).toEqual([BATCH_SIZE, 2, 1, 1]);
      expect(deliveries.flat().filter(([key]) => key === corrupt.key).map(([, count]) => Number(count))).toEqual(Array.from({ length: MAX_RECEIVE_COUNT }, (_, index) => index + 1));
      expect(deliveries[0].map(([key]) => key)).toEqual(objects.slice(0, BATCH_SIZE).map((object) => object.key));
      // Every readable object was transformed once: a manifest each.
      expect((await lake.keys(STANDARDIZED)).filter((key) => key.startsWith('manifests/'))).toHaveLength(11);
    } finally {
      await lake.stop();
    }
    expect(process.env.STANDARDIZED_BUCKET).toBeUndefined();
  });

  test('maxReceiveCount 1: one delivery, as a test that waits less than the visibility timeout sees', async () => {
    const lake = await startEmbeddedS3({ directory: tmp(), region: 'eu-west-1', buckets: [RAW, STANDARDIZED] });
    try {
      const handler = jest.spyOn(handlerModule, 'handler');
      const transform = lake.loadTransform(toEnvironment(transformSettingsOf(finance, STANDARDIZED, { s3Endpoint: lake.endpoint, powertools: { logLevel: 'SILENT', metricsDisabled: true } })), { maxReceiveCount: 1 });
      const corrupt = await lake.upload(RAW, 'landing/stock_prices/corrupt.csv.gz', CORRUPT_GZIP);
      expect(await transform.deliver([corrupt])).toEqual([corrupt]);
      expect(handler).toHaveBeenCalledTimes(1);
    } finally {
      await lake.stop();
    }
  });

  test('buckets are created once and kept in the directory; a bucket mirrors to a folder', async () => {
    const directory = tmp();
    const first = await startEmbeddedS3({ directory, region: 'eu-west-1', buckets: [RAW] });
    let uploaded;
    try {
      uploaded = await first.upload(RAW, 'landing/stock_prices/a.csv', CSV);
      expect(uploaded).toMatchObject({ bucket: RAW, key: 'landing/stock_prices/a.csv', size: CSV.length, etag: expect.stringMatching(/^"[0-9a-f]{32}"$/) });
      expect(uploaded.time.getUTCMilliseconds()).toBe(0);
    } finally {
      await first.stop();
    }
    const again = await startEmbeddedS3({ directory, region: 'eu-west-1', buckets: [RAW, STANDARDIZED] });
    try {
      expect(await again.keys(RAW)).toEqual(['landing/stock_prices/a.csv']);
      expect(await again.keys(STANDARDIZED)).toEqual([]);
      const folder = tmp();
      expect(await again.mirror(RAW, folder)).toEqual(['landing/stock_prices/a.csv']);
      expect(fs.readFileSync(path.join(folder, 'landing', 'stock_prices', 'a.csv'), 'utf8')).toBe(CSV);
    } finally {
      await again.stop();
    }
  });

  test('the notification of each object created carries what its event needs', async () => {
    const lake = await startEmbeddedS3({ directory: tmp(), region: 'eu-west-1', buckets: [RAW] });
    try {
      const created: unknown[] = [];
      lake.onObjectCreated((object) => created.push(object));
      const uploaded = await lake.upload(RAW, 'landing/stock_prices/a b.csv', CSV);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // The notification's ETag is unquoted, as EventBridge's; the event builder unquotes HeadObject's.
      expect(created).toEqual([{ bucket: RAW, key: 'landing/stock_prices/a b.csv', size: uploaded.size, etag: uploaded.etag.replace(/"/g, ''), time: expect.any(Date) }]);
    } finally {
      await lake.stop();
    }
  });
});

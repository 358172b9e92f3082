/**
 * A stand-in for a deployed LoB's S3 side, on loopback: s3rver holds the buckets, and every object
 * created under raw `landing/` or `stream/` is handed to the real transform handler with the
 * EventBridge "Object Created" body the SQS queue delivers, as S3 -> EventBridge -> SQS -> Lambda
 * would. SSM, SQS, Step Functions and Athena are not here: the tests mock those clients.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSEvent } from 'aws-lambda';
import S3rver from 's3rver';
import type { DatasetConfig } from '../../lib/config/lob-schema';
import { encodeBundledJson } from '../../lambda/transform/bundled-config';
import { objectCreatedEvent } from '../../lambda/transform/raw-object-event';

export interface EmbeddedLake {
  readonly s3: S3Client;
  readonly buckets: { raw: string; standardized: string; results: string };
  /** Raw keys the transform was invoked for. */
  readonly invoked: string[];
  /** Every key in a bucket. */
  keys(bucket: string): Promise<string[]>;
  /** Waits for transform invocations in flight. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedLakeOptions {
  /** The datasets bundled into the "deployed" transform. */
  readonly datasets: readonly DatasetConfig[];
  /** false: no transform deployed, raw objects are never transformed. */
  readonly transform?: boolean;
  readonly bucketPrefix?: string;
}

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const context = { functionName: 'smoke-test-transform', awsRequestId: 'test', getRemainingTimeInMillis: () => 900_000 } as unknown as Context;

export async function startEmbeddedLake(options: EmbeddedLakeOptions): Promise<EmbeddedLake> {
  const prefix = options.bucketPrefix ?? 'acme-dev-finance';
  const buckets = { raw: `${prefix}-raw`, standardized: `${prefix}-standardized`, results: `${prefix}-results` };
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-smoke-s3-')) });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const s3 = new S3Client({ endpoint, region: 'eu-west-1', forcePathStyle: true, credentials: CREDENTIALS });
  for (const bucket of Object.values(buckets)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));

  const environment = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    STANDARDIZED_BUCKET: buckets.standardized, LAKEWORKS_DATASETS: encodeBundledJson(options.datasets),
    // Quiet: the handler's logger and metrics read these when its module loads, hence the require below.
    POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require('../../lambda/transform/handler') as typeof import('../../lambda/transform/handler');

  const invoked: string[] = [];
  const inFlight = new Set<Promise<unknown>>();
  server.on('event', (event) => {
    const record = event.Records[0];
    const key = decodeURIComponent(record.s3.object.key);
    if (options.transform === false || !record.eventName.startsWith('ObjectCreated') || record.s3.bucket.name !== buckets.raw || !/^(landing|stream)\//.test(key)) return;
    invoked.push(key);
    // s3rver's notification has S3's eventTime, which its type declaration leaves out.
    const { eventTime } = record as typeof record & { eventTime: string };
    const body = JSON.stringify(objectCreatedEvent({ bucket: buckets.raw, key, size: record.s3.object.size ?? 0, etag: record.s3.object.eTag ?? '', time: new Date(eventTime) }));
    const sqsEvent = { Records: [{ messageId: `m-${invoked.length}`, receiptHandle: 'r', body, attributes: { ApproximateReceiveCount: '1' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:transform', awsRegion: 'eu-west-1' }] } as unknown as SQSEvent;
    // Let the upload's response go out first, as the real path is asynchronous.
    const run = new Promise((resolve) => setTimeout(resolve, 20)).then(() => handler(sqsEvent, context));
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  });

  const lake: EmbeddedLake = {
    s3,
    buckets,
    invoked,
    async keys(bucket) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).map((object) => object.Key!));
        token = page.NextContinuationToken;
      } while (token);
      return keys.sort();
    },
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      await lake.settled();
      s3.destroy();
      await server.close();
      for (const key of Object.keys(process.env)) if (!(key in environment)) delete process.env[key];
      Object.assign(process.env, environment);
    },
  };
  return lake;
}

/**
 * The embedded lake local mode (run-local.ts) and the tests run the real transform handler in: an
 * S3 endpoint on loopback (s3rver) keeping its buckets in a directory, and the handler invoked as
 * S3 -> EventBridge -> SQS -> Lambda would invoke it: the EventBridge "Object Created" event of
 * each raw object, in SQS records, in batches of up to 10, a message the handler reports failed
 * delivered again until the queue's maxReceiveCount.
 *
 * What the handler is configured with (its environment) is the caller's: the harness adds only the
 * endpoint's region and credentials, sets the variables before it loads the handler (Powertools
 * reads some when the module loads), and restores the environment when the lake stops.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import S3rver from 's3rver';
import { type CreatedObjectFields, objectCreatedEvent } from '../../contract/object-created-event';
import type * as HandlerModule from '../../lambda/transform/handler';

/** The transform queue's maxReceiveCount: how often SQS delivers a message before the DLQ. */
export const MAX_RECEIVE_COUNT = 3;
/** SQS hands Lambda up to 10 messages per invocation (the event source mapping's batch size). */
export const BATCH_SIZE = 10;
/** s3rver accepts any credentials; these are the ones its documentation uses. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface LoadedHandler {
  readonly handler: typeof HandlerModule.handler;
  /** Puts the process environment back as it was before the handler was loaded. */
  restore(): void;
}

/**
 * The real transform handler, loaded in this process with `environment` added to the process's:
 * the variables are set before the module loads, because Powertools reads some of them then. The
 * embedded lake loads it so; a test that stands in for S3 otherwise (a mocked client) does too.
 */
export function loadTransformHandler(environment: Readonly<Record<string, string>>): LoadedHandler {
  const saved = { ...process.env };
  Object.assign(process.env, environment);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require('../../lambda/transform/handler') as typeof HandlerModule;
  return {
    handler,
    restore() {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    },
  };
}

export interface EmbeddedS3Options {
  /** Where the endpoint keeps the buckets' objects: a lake kept between runs keeps this directory. */
  readonly directory: string;
  readonly region: string;
  /** Buckets to create unless the directory already holds them. */
  readonly buckets: readonly string[];
}

export interface EmbeddedS3 {
  readonly endpoint: string;
  readonly region: string;
  /** A client of the endpoint. */
  readonly s3: S3Client;
  /** Puts an object and returns what its Object Created event says about it (HeadObject's answer). */
  upload(bucket: string, key: string, body: Uint8Array | string): Promise<CreatedObjectFields>;
  /** Calls `listener` with each object created in any bucket, from the endpoint's S3 notifications. */
  onObjectCreated(listener: (object: CreatedObjectFields) => void): void;
  /** Every key in a bucket, sorted. */
  keys(bucket: string): Promise<string[]>;
  /** Writes every object of `bucket` to `folder/<key>` and returns the keys, sorted. */
  mirror(bucket: string, folder: string): Promise<string[]>;
  /**
   * Sets the process environment to `environment` plus the endpoint's region and credentials and
   * loads the transform handler with it. The environment is restored by `stop()`.
   */
  loadTransform(environment: Readonly<Record<string, string>>, options?: TransformOptions): Transform;
  stop(): Promise<void>;
}

export interface TransformOptions {
  /**
   * Deliveries of a message before it goes to the dead-letter queue: the queue's
   * MAX_RECEIVE_COUNT by default. A redelivery comes at once, not after the visibility timeout.
   */
  readonly maxReceiveCount?: number;
}

export interface Transform {
  /**
   * Delivers each object's Object Created event as the queue would: batches of up to 10 in the
   * objects' order, then the failed messages again, until each succeeded or was received
   * `maxReceiveCount` times. Returns the objects that went to the dead-letter queue.
   */
  deliver(objects: readonly CreatedObjectFields[]): Promise<CreatedObjectFields[]>;
  /** The same for message bodies someone else built (the replay command's events); returns the bodies dead-lettered. */
  deliverBodies(bodies: readonly string[]): Promise<string[]>;
}

export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3> {
  fs.mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: options.directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const { region } = options;
  const s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials: CREDENTIALS });
  const loaded: LoadedHandler[] = [];
  try {
    const existing = new Set(((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name));
    for (const bucket of options.buckets) if (!existing.has(bucket)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    s3.destroy();
    await server.close();
    throw error;
  }

  async function keys(bucket: string): Promise<string[]> {
    const found: string[] = [];
    // ListObjects (v1) paged by Marker: s3rver builds ListObjectsV2's continuation token with DES,
    // which Node's OpenSSL 3 refuses, so a bucket of more than one page (a history file's
    // partitions) fails to list with an InternalError on V2.
    let truncated: boolean | undefined;
    do {
      const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, Marker: found.at(-1) }));
      found.push(...(page.Contents ?? []).map((object) => object.Key!));
      truncated = page.IsTruncated && (page.Contents ?? []).length > 0;
    } while (truncated);
    return found.sort();
  }

  let messages = 0;
  const context = {
    functionName: 'lakeworks-local-transform', awsRequestId: 'local', memoryLimitInMB: '1024',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:lakeworks-local-transform`, getRemainingTimeInMillis: () => 900_000,
  } as unknown as Context;
  const sqsRecord = (messageId: string, body: string, receiveCount: number): SQSRecord => ({
    messageId,
    receiptHandle: `${messageId}-${receiveCount}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount), SentTimestamp: String(Date.now()), SenderId: 'events.amazonaws.com',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${region}:000000000000:lakeworks-local-transform`,
    awsRegion: region,
  });

  return {
    endpoint,
    region,
    s3,
    async upload(bucket, key, body) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { bucket, key, size: head.ContentLength!, etag: head.ETag!, versionId: head.VersionId, time: head.LastModified! };
    },
    onObjectCreated(listener) {
      server.on('event', (event) => {
        const record = event.Records[0];
        if (!record.eventName.startsWith('ObjectCreated')) return;
        // s3rver's notification has S3's eventTime, which its type declaration leaves out.
        const { eventTime } = record as typeof record & { eventTime: string };
        listener({
          bucket: record.s3.bucket.name, key: decodeURIComponent(record.s3.object.key), size: record.s3.object.size ?? 0,
          etag: record.s3.object.eTag ?? '', time: new Date(eventTime),
        });
      });
    },
    keys,
    async mirror(bucket, folder) {
      const mirrored = await keys(bucket);
      for (const key of mirrored) {
        const target = path.join(folder, ...key.split('/'));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        fs.writeFileSync(target, await object.Body!.transformToByteArray());
      }
      return mirrored;
    },
    loadTransform(environment, transformOptions = {}) {
      const load = loadTransformHandler({ AWS_REGION: region, AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, ...environment });
      loaded.push(load);
      const { handler } = load;
      const maxReceiveCount = transformOptions.maxReceiveCount ?? MAX_RECEIVE_COUNT;
      // Each message in batches of BATCH_SIZE, then the failed ones again, until received maxReceiveCount times.
      const deliverMessages = async <T>(entries: ReadonlyArray<{ readonly body: string; readonly item: T }>): Promise<T[]> => {
        let pending = entries.map(({ body, item }) => ({ item, messageId: `message-${++messages}`, body, receiveCount: 1 }));
        const deadLetters: T[] = [];
        while (pending.length > 0) {
          const retry: typeof pending = [];
          for (let start = 0; start < pending.length; start += BATCH_SIZE) {
            const batch = pending.slice(start, start + BATCH_SIZE);
            const event: SQSEvent = { Records: batch.map((entry) => sqsRecord(entry.messageId, entry.body, entry.receiveCount)) };
            const response: SQSBatchResponse = await handler(event, context);
            const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
            for (const entry of batch.filter((candidate) => failed.has(candidate.messageId))) {
              if (entry.receiveCount < maxReceiveCount) retry.push({ ...entry, receiveCount: entry.receiveCount + 1 });
              else deadLetters.push(entry.item);
            }
          }
          pending = retry;
        }
        return deadLetters;
      };
      return {
        deliver: (objects) => deliverMessages(objects.map((object) => ({ body: JSON.stringify(objectCreatedEvent(object)), item: object }))),
        deliverBodies: (bodies) => deliverMessages(bodies.map((body) => ({ body, item: body }))),
      };
    },
    async stop() {
      s3.destroy();
      await server.close();
      // Latest first: the first load saved the environment from before any of them.
      for (const load of loaded.splice(0).reverse()) load.restore();
    },
  };
}

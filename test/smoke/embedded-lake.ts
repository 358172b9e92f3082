/**
 * A stand-in for a deployed LoB's S3 side, on loopback: s3rver holds the buckets, and every object
 * created under raw `landing/` or `stream/` is handed to the real transform handler with the
 * EventBridge "Object Created" body the SQS queue delivers, as S3 -> EventBridge -> SQS -> Lambda
 * would (tools/local/embedded-lake.ts, as local mode). SSM, SQS, Step Functions and Athena are not
 * here: the tests mock those clients.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { TRANSFORMED_PREFIXES } from '../../contract/raw-layout';
import { type TransformLob, toEnvironment, transformSettingsOf } from '../../contract/transform-settings';
import { startEmbeddedS3 } from '../../tools/local/embedded-lake';

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
  /** The "deployed" LoB: its datasets are bundled into the transform, its `transform` block configures it. */
  readonly lob: TransformLob;
  /** false: no transform deployed, raw objects are never transformed. */
  readonly transform?: boolean;
  readonly bucketPrefix?: string;
}

export async function startEmbeddedLake(options: EmbeddedLakeOptions): Promise<EmbeddedLake> {
  const prefix = options.bucketPrefix ?? 'acme-dev-finance';
  const buckets = { raw: `${prefix}-raw`, standardized: `${prefix}-standardized`, results: `${prefix}-results` };
  const embedded = await startEmbeddedS3({ directory: fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-smoke-s3-')), region: 'eu-west-1', buckets: Object.values(buckets) });
  // One delivery per object: SQS would redeliver a failed message only after the visibility timeout
  // (minutes), beyond any wait of these tests.
  const transform = embedded.loadTransform(toEnvironment(transformSettingsOf(options.lob, buckets.standardized, {
    s3Endpoint: embedded.endpoint,
    // Quiet: the handler's logger and metrics read these when its module loads.
    powertools: { logLevel: 'SILENT', metricsDisabled: true },
  })), { maxReceiveCount: 1 });

  const invoked: string[] = [];
  const inFlight = new Set<Promise<unknown>>();
  embedded.onObjectCreated((object) => {
    if (options.transform === false || object.bucket !== buckets.raw || !TRANSFORMED_PREFIXES.some((prefix) => object.key.startsWith(prefix))) return;
    invoked.push(object.key);
    // Let the upload's response go out first, as the real path is asynchronous.
    const run = new Promise((resolve) => setTimeout(resolve, 20)).then(() => transform.deliver([object]));
    inFlight.add(run);
    void run.finally(() => inFlight.delete(run));
  });

  const lake: EmbeddedLake = {
    s3: embedded.s3,
    buckets,
    invoked,
    keys: (bucket) => embedded.keys(bucket),
    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      await lake.settled();
      await embedded.stop();
    },
  };
  return lake;
}

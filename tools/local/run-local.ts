/**
 * Local mode (see scripts/local.ts): the real transform handler against an embedded S3 endpoint,
 * then the curated layers on Spark (local-curation.ts). The lake under `--out` is kept between
 * runs (the endpoint's files and the Iceberg catalog in `<out>/.lakeworks/`), so a second run with
 * the next day's files is the next day's run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import S3rver from 's3rver';
import { loadLakeConfig } from '../../lib/config/load-config';
import { STORAGE_LAYERS, type StorageLayer, dataBucketName } from '../../lib/config/names';
import type { CurationMode } from '../../lib/curation/job-arguments';
import type * as HandlerModule from '../../lambda/transform/handler';
import { encodeBundledJson } from '../../lambda/transform/bundled-config';
import { objectCreatedEvent } from '../../lambda/transform/raw-object-event';
import { countParquetRows } from './parquet-row-count';
import { DatasetInputError, datasetFolders, datasetInputs, filesUnder } from './dataset-inputs';
import { type CurationReport, LocalCurationError, runLocalCuration } from './local-curation';

export class LocalModeError extends Error {}

export interface LocalRunOptions {
  readonly lob: string;
  readonly input: string;
  readonly out: string;
  readonly configDir: string;
  /** Scratch space (the curation plan handed to Spark). */
  readonly workDir: string;
  /** Stop after the transform, or go on to the curated layers (the default). */
  readonly through?: 'transform' | 'curated';
  /** The curated layers' run: incremental (the default, as scheduled) or a backfill from every source. */
  readonly mode?: CurationMode;
}

export interface LocalSummary {
  /** Per dataset, what the lake's standardized layer holds after the run. */
  readonly datasets: Record<string, { read: number; written: number; quarantined: number }>;
  /** Every object of the raw and standardized buckets, as `<layer>/<key>`. */
  readonly objects: string[];
  /** Each curated table's run, in the order the state machine runs them; absent with --through transform. */
  readonly curated?: CurationReport[];
}

/** The layers the transform writes through S3; the curated layers are Iceberg tables Spark writes. */
const MIRRORED_LAYERS = ['raw', 'standardized'] as const;

/** The transform queue's maxReceiveCount: how often SQS delivers a message before the DLQ. */
export const MAX_RECEIVE_COUNT = 3;
/** SQS hands Lambda up to 10 messages per invocation. */
const BATCH_SIZE = 10;
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

function sqsRecord(body: string, index: number, receiveCount: number): SQSRecord {
  return {
    messageId: `local-${index}`,
    receiptHandle: `local-${index}-${receiveCount}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount), SentTimestamp: String(Date.now()), SenderId: 'events.amazonaws.com',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:local-transform',
    awsRegion: 'us-east-1',
  };
}

const lambdaContext = { functionName: 'lakeworks-local-transform', awsRequestId: 'local', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:local', memoryLimitInMB: '1024', getRemainingTimeInMillis: () => 900_000 } as unknown as Context;

export async function runLocal(options: LocalRunOptions): Promise<LocalSummary> {
  const config = loadLakeConfig(options.configDir);
  const lob = config.lobs.find((candidate) => candidate.name === options.lob);
  if (!lob) throw new LocalModeError(`unknown line of business ${JSON.stringify(options.lob)}; configured: ${config.lobs.map((l) => l.name).join(', ')}`);
  if (!fs.existsSync(options.input) || !fs.statSync(options.input).isDirectory()) throw new LocalModeError(`--input ${options.input} is not a directory`);
  let datasetDirs;
  let inputs;
  try {
    datasetDirs = datasetFolders(options.input, lob);
    inputs = datasetInputs(options.input, lob);
  } catch (error) {
    if (error instanceof DatasetInputError) throw new LocalModeError(error.message);
    throw error;
  }

  // Real bucket names of the first environment: what you see locally is what the lake holds.
  const environment = config.platform.environments[0];
  const names = { organisation: config.platform.organisation, environment: environment.name, account: environment.account, region: environment.region };
  const buckets = Object.fromEntries(STORAGE_LAYERS.map((layer) => [layer, dataBucketName(names, lob.name, layer)])) as Record<StorageLayer, string>;

  const storage = path.join(options.out, '.lakeworks', 's3');
  fs.mkdirSync(storage, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: storage });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const s3 = new S3Client({ endpoint, region: environment.region, forcePathStyle: true, credentials: LOCAL_CREDENTIALS });
  const restoreEnvironment = { ...process.env };
  const restoreConsole = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  try {
    const existing = new Set(((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((bucket) => bucket.Name));
    for (const bucket of Object.values(buckets)) if (!existing.has(bucket)) await s3.send(new CreateBucketCommand({ Bucket: bucket }));

    const uploads: Array<{ dataset: string; key: string }> = [];
    for (const { dataset, file, name } of inputs) {
      const key = `landing/${dataset}/${name}`;
      await s3.send(new PutObjectCommand({ Bucket: buckets.raw, Key: key, Body: fs.readFileSync(file) }));
      uploads.push({ dataset, key });
    }

    // The handler configures itself from the environment, exactly as in Lambda.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: environment.region, AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, STANDARDIZED_BUCKET: buckets.standardized,
      LAKEWORKS_DATASETS: encodeBundledJson(lob.datasets), ROW_GROUP_ROWS: String(lob.transform.rowGroupRows),
      PARQUET_INTEGER_ENCODING: lob.transform.parquetIntegerEncoding, POWERTOOLS_DEV: 'true', POWERTOOLS_SERVICE_NAME: 'lakeworks-local',
    });
    // Handler logs and metrics go to stderr; stdout carries only the summary. Powertools writes
    // through the global console only in dev mode, which it reads when the handler module loads,
    // so the handler is loaded now, with the environment set.
    const toStderr = (...args: unknown[]) => { process.stderr.write(`${format(...args)}\n`); };
    Object.assign(console, { log: toStderr, info: toStderr, warn: toStderr, error: toStderr, debug: toStderr });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require('../../lambda/transform/handler') as typeof HandlerModule;

    const bodies = await Promise.all(uploads.map(async ({ key }, index) => {
      const head = await s3.send(new HeadObjectCommand({ Bucket: buckets.raw, Key: key }));
      const event = objectCreatedEvent({ bucket: buckets.raw, key, size: head.ContentLength!, etag: head.ETag!, versionId: head.VersionId, time: head.LastModified! });
      return { index, body: JSON.stringify(event) };
    }));
    let pending = bodies.map((entry) => ({ ...entry, receiveCount: 1 }));
    while (pending.length > 0) {
      const retry: typeof pending = [];
      for (let start = 0; start < pending.length; start += BATCH_SIZE) {
        const batch = pending.slice(start, start + BATCH_SIZE);
        const event: SQSEvent = { Records: batch.map((entry) => sqsRecord(entry.body, entry.index, entry.receiveCount)) };
        const response = await handler(event, lambdaContext);
        const failed = new Set(response.batchItemFailures.map((failure: { itemIdentifier: string }) => failure.itemIdentifier));
        for (const entry of batch) {
          if (failed.has(`local-${entry.index}`) && entry.receiveCount < MAX_RECEIVE_COUNT) retry.push({ ...entry, receiveCount: entry.receiveCount + 1 });
        }
      }
      pending = retry;
    }

    for (const layer of MIRRORED_LAYERS) fs.rmSync(path.join(options.out, layer), { recursive: true, force: true });
    const objects: string[] = [];
    for (const layer of MIRRORED_LAYERS) {
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: buckets[layer], ContinuationToken: token }));
        for (const object of page.Contents ?? []) {
          const target = path.join(options.out, layer, ...object.Key!.split('/'));
          fs.mkdirSync(path.dirname(target), { recursive: true });
          const body = await s3.send(new GetObjectCommand({ Bucket: buckets[layer], Key: object.Key! }));
          fs.writeFileSync(target, await body.Body!.transformToByteArray());
          objects.push(`${layer}/${object.Key}`);
        }
        token = page.NextContinuationToken;
      } while (token);
    }

    const datasets: LocalSummary['datasets'] = {};
    for (const dataset of datasetDirs) {
      const standardized = path.join(options.out, 'standardized');
      const written = await countParquetRows(path.join(standardized, dataset));
      const quarantineDir = path.join(standardized, 'quarantine', dataset);
      const quarantineFiles = fs.existsSync(quarantineDir) ? filesUnder(quarantineDir) : [];
      const quarantined = quarantineFiles.reduce((sum, file) => sum + (file.endsWith('.jsonl')
        ? fs.readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').length
        : 1), 0);
      datasets[dataset] = { read: written + quarantined, written, quarantined };
    }
    if (options.through === 'transform') return { datasets, objects: objects.sort() };
    let curated: CurationReport[];
    try {
      curated = await runLocalCuration(lob, names, options.out, options.workDir, options.mode ?? 'incremental');
    } catch (error) {
      if (error instanceof LocalCurationError) throw new LocalModeError(error.message);
      throw error;
    }
    return { datasets, objects: objects.sort(), curated };
  } finally {
    Object.assign(console, restoreConsole);
    for (const key of Object.keys(process.env)) if (!(key in restoreEnvironment)) delete process.env[key];
    Object.assign(process.env, restoreEnvironment);
    s3.destroy();
    await server.close();
  }
}

/**
 * The transform Lambda: SQS (raw-bucket Object Created events) -> typed Parquet in standardized,
 * and a manifest per object of what it wrote.
 *
 * Each message is one raw object. Objects are processed independently and failures are reported
 * per message (ReportBatchItemFailures), so one bad object never holds up the others: SQS retries
 * it and, after the queue's maxReceiveCount, moves it to the dead-letter queue. An unreadable
 * object (corrupt gzip, binary, truncated JSON) logs one error line and leaves a marker under
 * `quarantine/<dataset>/unreadable/` saying why.
 *
 * Configuration (environment): STANDARDIZED_BUCKET, LAKEWORKS_DATASETS (the LoB's datasets as
 * base64 JSON; bundled into the code at synth), ROW_GROUP_ROWS (optional).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Readable } from 'node:stream';
import { unreadableMarkerKey } from '../../contract/standardized-layout';
import type { DatasetConfig } from '../../lib/config/lob-schema';
import { type IntegerEncoding, INTEGER_ENCODINGS, isIntegerEncoding } from '../parquet/integer-encoding';
import { decodeBundledJson } from './bundled-config';
import { type CompiledDataset, compileDataset } from './compiled-dataset';
import { createdObjectOf, datasetOfKey } from './raw-object-event';
import { UnreadableObjectError } from './record-readers';
import { S3OutputStore } from './s3-output-store';
import { sourceIdOf, transformObject } from './transform-object';

const logger = new Logger({ serviceName: 'lakeworks-transform' });
const metrics = new Metrics({ namespace: 'Lakeworks', serviceName: 'transform' });
const processor = new BatchProcessor(EventType.SQS);

interface HandlerConfig {
  readonly standardizedBucket: string;
  readonly datasets: ReadonlyMap<string, CompiledDataset>;
  readonly rowGroupRows?: number;
  readonly integerEncoding?: IntegerEncoding;
}

let cached: { key: string; config: HandlerConfig; s3: S3Client } | undefined;

/**
 * Read once per container (again only if the environment changes, as between local-mode runs in
 * one process); an error here fails every message, loudly, until the config is fixed.
 */
function runtime(): { config: HandlerConfig; s3: S3Client } {
  const key = [process.env.STANDARDIZED_BUCKET, process.env.LAKEWORKS_DATASETS, process.env.AWS_ENDPOINT_URL_S3, process.env.ROW_GROUP_ROWS, process.env.PARQUET_INTEGER_ENCODING].join('\n');
  if (cached?.key === key) return cached;
  cached?.s3.destroy();
  const standardizedBucket = process.env.STANDARDIZED_BUCKET;
  if (!standardizedBucket) throw new Error('STANDARDIZED_BUCKET must be set');
  const configured = decodeBundledJson<DatasetConfig[]>('LAKEWORKS_DATASETS', process.env.LAKEWORKS_DATASETS);
  const datasets = new Map(configured.map((dataset) => [dataset.name, compileDataset(dataset)]));
  const rowGroupRows = process.env.ROW_GROUP_ROWS ? Number(process.env.ROW_GROUP_ROWS) : undefined;
  const integerEncoding = process.env.PARQUET_INTEGER_ENCODING || undefined;
  if (integerEncoding !== undefined && !isIntegerEncoding(integerEncoding)) {
    throw new Error(`PARQUET_INTEGER_ENCODING must be one of ${INTEGER_ENCODINGS.join(', ')}; got ${integerEncoding}`);
  }
  // An endpoint override (AWS_ENDPOINT_URL_S3) means a local S3, which needs path-style addressing.
  const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
  cached = { key, config: { standardizedBucket, datasets, rowGroupRows, integerEncoding }, s3 };
  return cached;
}

async function transformRecord(record: SQSRecord): Promise<void> {
  const { config, s3 } = runtime();
  const { source, time } = createdObjectOf(record.body);
  const datasetName = datasetOfKey(source.key);
  const dataset = datasetName ? config.datasets.get(datasetName) : undefined;
  if (!dataset) {
    throw new Error(`s3://${source.bucket}/${source.key}: no dataset ${JSON.stringify(datasetName)} in this line of business`);
  }
  const started = Date.now();
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key, VersionId: isVersionId(source.version) ? source.version : undefined }));
    const result = await transformObject(source, object.Body as Readable, dataset, new S3OutputStore(s3, config.standardizedBucket), { ingestedAt: time, rowGroupRows: config.rowGroupRows, integerEncoding: config.integerEncoding });
    logger.info('transformed', { source: `s3://${source.bucket}/${source.key}`, dataset: dataset.name, read: result.read, written: result.written, quarantined: result.quarantined, files: result.outputs.length, manifest: result.manifest, ms: Date.now() - started });
    metrics.addDimension('dataset', dataset.name);
    metrics.addMetric('RecordsRead', MetricUnit.Count, result.read);
    metrics.addMetric('RecordsWritten', MetricUnit.Count, result.written);
    metrics.addMetric('RecordsQuarantined', MetricUnit.Count, result.quarantined);
    metrics.publishStoredMetrics();
  } catch (error) {
    if (error instanceof UnreadableObjectError) {
      logger.error('unreadable object', { source: `s3://${source.bucket}/${source.key}`, dataset: dataset.name, reason: error.message });
      await s3.send(new PutObjectCommand({
        Bucket: config.standardizedBucket,
        Key: unreadableMarkerKey(dataset.name, sourceIdOf(source)),
        Body: JSON.stringify({ source: `s3://${source.bucket}/${source.key}`, source_version: source.version, reason: error.message }),
        ContentType: 'application/json',
      }));
      metrics.addDimension('dataset', dataset.name);
      metrics.addMetric('ObjectsUnreadable', MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    }
    throw error;
  }
}

/** S3 version ids are opaque tokens; an ETag is quoted hex, and "null" means an unversioned object. */
function isVersionId(version: string): boolean {
  return version !== 'null' && !/^"?[0-9a-f]{32}(-\d+)?"?$/.test(version);
}

export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  logger.addContext(context);
  // A batch whose every object failed is reported like any other, message by message, for SQS to retry.
  return processPartialResponse(event, transformRecord, processor, { context, throwOnFullBatchFailure: false });
}

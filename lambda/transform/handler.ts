/**
 * The transform Lambda: SQS (raw-bucket Object Created events) -> typed Parquet in standardized,
 * and a manifest per object of what it wrote.
 *
 * Each message is one raw object. Objects are processed independently and failures are reported
 * per message (ReportBatchItemFailures), so one bad object never holds up the others: SQS retries
 * it and, after the queue's maxReceiveCount, moves it to the dead-letter queue. An unreadable
 * object (corrupt gzip, binary, truncated JSON, not Parquet) logs one error line and leaves a
 * marker under `quarantine/<dataset>/unreadable/` saying why. A hidden key (a name beginning with `_` or `.`,
 * such as a Spark writer's `_temporary/0/…` attempt files, contract/raw-layout.ts) is skipped:
 * its rows arrive again, complete, under the file's final name.
 *
 * Objects under `landing/<dataset>/api/` are read as the dataset's API source declares its
 * responses, everything else in the dataset's format (dataset-readings.ts).
 *
 * Settings: contract/transform-settings.ts, read from the environment (the LoB's datasets are
 * bundled into the code at synth).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Readable } from 'node:stream';
import { type ObjectSizeLimit, oversizeReason } from '../../contract/object-size-limit';
import { type SourceObject, createdObjectOf } from '../../contract/object-created-event';
import { datasetOfRawKey, hiddenNameOf } from '../../contract/raw-layout';
import { unreadableMarkerKey } from '../../contract/standardized-layout';
import * as transformSettings from '../../contract/transform-settings';
import { type DatasetReadings, compileReadings, readingFor } from './dataset-readings';
import { checkedObjectSize } from './object-size-check';
import { UnreadableObjectError } from './record-readers';
import type { CompiledDataset } from './compiled-dataset';
import type { ObjectBytes } from './object-bytes';
import { s3ByteRanges } from './s3-byte-ranges';
import { S3OutputStore } from './s3-output-store';
import { sourceIdOf, transformObject } from './transform-object';

const { TRANSFORM_IDENTITY } = transformSettings;
const logger = new Logger({ serviceName: TRANSFORM_IDENTITY.serviceName });
const metrics = new Metrics({ namespace: TRANSFORM_IDENTITY.metricsNamespace, serviceName: TRANSFORM_IDENTITY.metricsService });
const processor = new BatchProcessor(EventType.SQS);

interface HandlerConfig {
  readonly settings: transformSettings.TransformSettings;
  readonly datasets: ReadonlyMap<string, DatasetReadings>;
}

let cached: { key: string; config: HandlerConfig; s3: S3Client } | undefined;

/**
 * Read once per container (again only if the environment changes, as between local-mode runs in
 * one process); an error here fails every message, loudly, until the config is fixed.
 */
function runtime(): { config: HandlerConfig; s3: S3Client } {
  const environment = transformSettings.processEnvironment();
  const key = transformSettings.VARIABLES.map((name) => environment[name]).join('\n');
  if (cached?.key === key) return cached;
  cached?.s3.destroy();
  cached = undefined;
  const settings = transformSettings.fromEnvironment(environment);
  const datasets = new Map(settings.datasets.map((dataset) => [dataset.name, compileReadings(dataset)]));
  // An endpoint of its own means a local S3, which needs path-style addressing (the SDK reads the endpoint itself).
  const s3 = new S3Client({ forcePathStyle: settings.s3Endpoint !== undefined });
  cached = { key, config: { settings, datasets }, s3 };
  return cached;
}

async function transformRecord(record: SQSRecord): Promise<void> {
  const { config, s3 } = runtime();
  const { source, time } = createdObjectOf(record.body);
  const datasetName = datasetOfRawKey(source.key);
  const readings = datasetName ? config.datasets.get(datasetName) : undefined;
  if (!readings) {
    throw new Error(`s3://${source.bucket}/${source.key}: no dataset ${JSON.stringify(datasetName)} in this line of business`);
  }
  const hidden = hiddenNameOf(source.key);
  if (hidden !== undefined) {
    logger.info('skipped', { source: `s3://${source.bucket}/${source.key}`, dataset: readings.name, reason: `hidden name ${hidden}: a writer's temporary or marker file, not data` });
    metrics.addDimension('dataset', readings.name);
    metrics.addMetric('ObjectsSkipped', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    return;
  }
  const dataset = readingFor(readings, source.key);
  const started = Date.now();
  try {
    const body = await bytesOf(s3, source, dataset, config.settings.objectSizeLimit);
    const { standardizedBucket, rowGroupRows, integerEncoding } = config.settings;
    const result = await transformObject(source, body, dataset, new S3OutputStore(s3, standardizedBucket), { ingestedAt: time, rowGroupRows, integerEncoding });
    logger.info('transformed', { source: `s3://${source.bucket}/${source.key}`, dataset: dataset.name, read: result.read, written: result.written, quarantined: result.quarantined, files: result.outputs.length, manifest: result.manifest, ms: Date.now() - started });
    metrics.addDimension('dataset', dataset.name);
    metrics.addMetric('RecordsRead', MetricUnit.Count, result.read);
    metrics.addMetric('RecordsWritten', MetricUnit.Count, result.written);
    metrics.addMetric('RecordsQuarantined', MetricUnit.Count, result.quarantined);
    metrics.addMetric('RoundedValues', MetricUnit.Count, result.rounded);
    // Once per object: a header that differs from the schema, or a dialect that cannot read the file.
    if (result.drift) logger.warn('schema drift', { source: `s3://${source.bucket}/${source.key}`, dataset: dataset.name, ...result.drift });
    if (result.refused) logger.error('object refused', { source: `s3://${source.bucket}/${source.key}`, dataset: dataset.name, reason: result.refused });
    metrics.addMetric('DriftColumns', MetricUnit.Count, result.drift ? result.drift.extraColumns.length + result.drift.missingColumns.length : 0);
    metrics.addMetric('ObjectsRefused', MetricUnit.Count, result.refused ? 1 : 0);
    metrics.publishStoredMetrics();
  } catch (error) {
    if (error instanceof UnreadableObjectError) {
      logger.error('unreadable object', { source: `s3://${source.bucket}/${source.key}`, dataset: dataset.name, reason: error.message });
      await s3.send(new PutObjectCommand({
        Bucket: config.settings.standardizedBucket,
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

/**
 * The object's bytes as its format is read, once its size is known to be within the limit: by
 * byte ranges for Parquet (its footer comes last), else as a stream.
 */
async function bytesOf(s3: S3Client, source: SourceObject, dataset: CompiledDataset, limit: ObjectSizeLimit): Promise<ObjectBytes> {
  const versionId = isVersionId(source.version) ? source.version : undefined;
  if (dataset.config.format === 'parquet') {
    const ranges = await s3ByteRanges(s3, { bucket: source.bucket, key: source.key, versionId });
    const reason = oversizeReason(ranges.byteLength, 'parquet', limit);
    if (reason !== undefined) throw new UnreadableObjectError(reason);
    return ranges;
  }
  const object = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key, VersionId: versionId }));
  return checkedObjectSize(object.Body as Readable, object.ContentLength, limit);
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

/**
 * Firehose record processor for stream datasets: each record is parsed, validated against the
 * dataset schema and normalized. Valid records go on as one JSON line, with the partition key
 * `ingest_date` (the record's arrival date, UTC) for Firehose's dynamic partitioning. Invalid
 * records are returned as `ProcessingFailed`, so Firehose writes them under `errors/`; their
 * reason is logged with the record id and a digest of the data. No record is ever dropped.
 *
 * Settings: contract/processor-settings.ts, read from the environment (the dataset is bundled into
 * the code at synth).
 */
import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { FirehoseTransformationEvent, FirehoseTransformationResult, FirehoseTransformationResultRecord } from 'aws-lambda';
import * as processorSettings from '../../contract/processor-settings';
import { STREAM_PARTITION_KEY } from '../../contract/raw-layout';
import { type CompiledDataset, compileDataset } from '../transform/compiled-dataset';
import { normalizeRecord } from './normalize-record';

const { PROCESSOR_IDENTITY, PROCESSOR_METRICS } = processorSettings;
const logger = new Logger({ serviceName: PROCESSOR_IDENTITY.serviceName });
const metrics = new Metrics({ namespace: PROCESSOR_IDENTITY.metricsNamespace, serviceName: PROCESSOR_IDENTITY.metricsService });

let dataset: CompiledDataset | undefined;
function datasetConfig(): CompiledDataset {
  dataset ??= compileDataset(processorSettings.fromEnvironment().dataset);
  return dataset;
}

export interface ProcessedRecords {
  readonly result: FirehoseTransformationResult;
  readonly failed: Array<{ recordId: string; reason: string; sha256: string }>;
  /** Decimal values of the accepted records rounded by columns with decimalRounding: round. */
  readonly rounded: number;
}

export function processRecords(event: FirehoseTransformationEvent, compiled: CompiledDataset): ProcessedRecords {
  const failed: Array<{ recordId: string; reason: string; sha256: string }> = [];
  let rounded = 0;
  const records = event.records.map((record): FirehoseTransformationResultRecord => {
    const raw = Buffer.from(record.data, 'base64');
    const roundedBefore = compiled.rounding.count;
    const normalized = normalizeRecord(raw.toString('utf8').trim(), compiled);
    if (normalized.ok) rounded += compiled.rounding.count - roundedBefore;
    if (!normalized.ok) {
      failed.push({ recordId: record.recordId, reason: normalized.reason, sha256: createHash('sha256').update(raw).digest('hex') });
      return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data };
    }
    const ingestDate = new Date(record.approximateArrivalTimestamp).toISOString().slice(0, 10);
    return {
      recordId: record.recordId,
      result: 'Ok',
      data: Buffer.from(`${normalized.json}\n`, 'utf8').toString('base64'),
      metadata: { partitionKeys: { [STREAM_PARTITION_KEY]: ingestDate } },
    };
  });
  return { result: { records }, failed, rounded };
}

export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  const compiled = datasetConfig();
  const { result, failed, rounded } = processRecords(event, compiled);
  for (const failure of failed) logger.warn('record failed validation', { dataset: compiled.name, ...failure });
  metrics.addDimension('dataset', compiled.name);
  metrics.addMetric(PROCESSOR_METRICS.accepted, MetricUnit.Count, event.records.length - failed.length);
  metrics.addMetric(PROCESSOR_METRICS.rejected, MetricUnit.Count, failed.length);
  metrics.addMetric(PROCESSOR_METRICS.rounded, MetricUnit.Count, rounded);
  metrics.publishStoredMetrics();
  return result;
}

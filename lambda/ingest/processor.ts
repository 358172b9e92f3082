/**
 * Firehose record processor for stream datasets: each record is parsed, validated against the
 * dataset schema and normalized. Valid records go on as one JSON line, with the partition key
 * `ingest_date` (the record's arrival date, UTC) for Firehose's dynamic partitioning. Invalid
 * records are returned as `ProcessingFailed`, so Firehose writes them under `errors/`; their
 * reason is logged with the record id and a digest of the data. No record is ever dropped.
 *
 * Configuration (environment): LAKEWORKS_DATASET (the dataset's config as base64 JSON, bundled at synth).
 */
import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { FirehoseTransformationEvent, FirehoseTransformationResult, FirehoseTransformationResultRecord } from 'aws-lambda';
import type { DatasetConfig } from '../../lib/config/lob-schema';
import { decodeBundledJson } from '../transform/bundled-config';
import { type CompiledDataset, compileDataset } from '../transform/compiled-dataset';
import { normalizeRecord } from './normalize-record';

const logger = new Logger({ serviceName: 'lakeworks-ingest-processor' });
const metrics = new Metrics({ namespace: 'Lakeworks', serviceName: 'ingest-processor' });

let dataset: CompiledDataset | undefined;
function datasetConfig(): CompiledDataset {
  if (!dataset) {
    dataset = compileDataset(decodeBundledJson<DatasetConfig>('LAKEWORKS_DATASET', process.env.LAKEWORKS_DATASET));
  }
  return dataset;
}

export function processRecords(event: FirehoseTransformationEvent, compiled: CompiledDataset): { result: FirehoseTransformationResult; failed: Array<{ recordId: string; reason: string; sha256: string }> } {
  const failed: Array<{ recordId: string; reason: string; sha256: string }> = [];
  const records = event.records.map((record): FirehoseTransformationResultRecord => {
    const raw = Buffer.from(record.data, 'base64');
    const normalized = normalizeRecord(raw.toString('utf8').trim(), compiled);
    if (!normalized.ok) {
      failed.push({ recordId: record.recordId, reason: normalized.reason, sha256: createHash('sha256').update(raw).digest('hex') });
      return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data };
    }
    const ingestDate = new Date(record.approximateArrivalTimestamp).toISOString().slice(0, 10);
    return {
      recordId: record.recordId,
      result: 'Ok',
      data: Buffer.from(`${normalized.json}\n`, 'utf8').toString('base64'),
      metadata: { partitionKeys: { ingest_date: ingestDate } },
    };
  });
  return { result: { records }, failed };
}

export async function handler(event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> {
  const compiled = datasetConfig();
  const { result, failed } = processRecords(event, compiled);
  for (const failure of failed) logger.warn('record failed validation', { dataset: compiled.name, ...failure });
  metrics.addDimension('dataset', compiled.name);
  metrics.addMetric('RecordsAccepted', MetricUnit.Count, event.records.length - failed.length);
  metrics.addMetric('RecordsRejected', MetricUnit.Count, failed.length);
  metrics.publishStoredMetrics();
  return result;
}

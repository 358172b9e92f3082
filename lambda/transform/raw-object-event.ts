/**
 * The message the transform queue delivers: an EventBridge "Object Created" event from the raw
 * bucket, in the body of an SQS record. Which dataset an object belongs to comes from its key:
 * `landing/<dataset>/…` (batch uploads) or `stream/<dataset>/…` (Firehose).
 */
import type { SourceObject } from './quarantine';

export interface ObjectCreatedEvent {
  readonly 'detail-type': string;
  readonly source: string;
  readonly detail: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly size?: number; readonly etag?: string; readonly 'version-id'?: string; readonly sequencer?: string };
  };
}

const DATASET_KEY = /^(?:landing|stream)\/([a-z][a-z0-9_]*)\//;

export function sourceOf(body: string): SourceObject {
  const event = JSON.parse(body) as ObjectCreatedEvent;
  const object = event?.detail?.object;
  const bucket = event?.detail?.bucket?.name;
  if (!bucket || !object?.key) throw new Error(`not an S3 Object Created event: ${body.slice(0, 200)}`);
  const version = object['version-id'] ?? object.etag ?? object.sequencer;
  if (!version) throw new Error(`event for s3://${bucket}/${object.key} has no version id, ETag or sequencer`);
  return { bucket, key: object.key, version };
}

/** The dataset name in a raw key, or undefined for keys outside landing/ and stream/. */
export function datasetOfKey(key: string): string | undefined {
  return DATASET_KEY.exec(key)?.[1];
}

/** The EventBridge event S3 sends for a new object, as local mode and the tests build it. */
export function objectCreatedEvent(bucket: string, key: string, version: string, size: number): ObjectCreatedEvent {
  return {
    'detail-type': 'Object Created',
    source: 'aws.s3',
    detail: { bucket: { name: bucket }, object: { key, size, 'version-id': version } },
  };
}

/**
 * The message the transform queue delivers: an EventBridge "Object Created" event from the raw
 * bucket, in the body of an SQS record; its parser (the handler) and its builder (local mode and
 * the test harnesses, which stand in for S3 and EventBridge). Which dataset an object belongs to
 * comes from its key (raw-layout.ts). The event's `time` is when the object arrived: every
 * delivery of the same event carries the same one.
 */

/** One version of a raw object: what the transform reads, and what its outputs are named after. */
export interface SourceObject {
  readonly bucket: string;
  readonly key: string;
  /** Version id where the bucket is versioned (it is), else the ETag: part of the output identity. */
  readonly version: string;
}

export interface ObjectCreatedEvent {
  readonly 'detail-type': string;
  readonly source: string;
  /** ISO 8601, UTC: "2024-01-02T22:10:05Z". */
  readonly time: string;
  readonly detail: {
    readonly bucket: { readonly name: string };
    readonly object: { readonly key: string; readonly size?: number; readonly etag?: string; readonly 'version-id'?: string; readonly sequencer?: string };
  };
}

/** A raw object version and when it arrived, as its event tells. */
export interface CreatedObject {
  readonly source: SourceObject;
  readonly time: Date;
}

/** A date and time with seconds and an explicit offset; `Date` alone would also take "Jan 2 2024". */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function createdObjectOf(body: string): CreatedObject {
  const event = JSON.parse(body) as ObjectCreatedEvent;
  const object = event?.detail?.object;
  const bucket = event?.detail?.bucket?.name;
  if (!bucket || !object?.key) throw new Error(`not an S3 Object Created event: ${body.slice(0, 200)}`);
  const version = object['version-id'] ?? object.etag ?? object.sequencer;
  if (!version) throw new Error(`event for s3://${bucket}/${object.key} has no version id, ETag or sequencer`);
  if (event.time === undefined) throw new Error(`event for s3://${bucket}/${object.key} has no time: the transform needs it as the records' arrival time`);
  const time = typeof event.time === 'string' && ISO_TIME.test(event.time) ? new Date(event.time) : undefined;
  if (!time || Number.isNaN(time.getTime())) throw new Error(`event for s3://${bucket}/${object.key} has time ${JSON.stringify(event.time)}; expected ISO 8601 such as 2024-01-02T22:10:05Z`);
  return { source: { bucket, key: object.key, version }, time };
}

export interface CreatedObjectFields {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** As S3 returns it, quoted or not. */
  readonly etag: string;
  /** Absent for an unversioned bucket. */
  readonly versionId?: string;
  /** When the object was written: its LastModified. */
  readonly time: Date;
}

/** The EventBridge event S3 sends for a new object, as local mode and the tests build it. */
export function objectCreatedEvent(object: CreatedObjectFields): ObjectCreatedEvent {
  return {
    'detail-type': 'Object Created',
    source: 'aws.s3',
    // S3 stamps whole seconds.
    time: object.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    detail: {
      bucket: { name: object.bucket },
      // EventBridge carries the ETag unquoted.
      object: { key: object.key, size: object.size, etag: object.etag.replace(/"/g, ''), ...(object.versionId === undefined ? {} : { 'version-id': object.versionId }) },
    },
  };
}

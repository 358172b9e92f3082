/**
 * The S3 side of a smoke run: upload the samples to raw, list what exists under narrow prefixes,
 * and remove exactly the objects the run caused.
 *
 * Lake buckets are versioned, so a plain delete would only add a delete marker and leave the
 * sample data in the bucket's history. When the raw upload returned a version id, removal deletes
 * every version and delete marker of the run's keys; the keys are unique to the run, so every
 * version under them is the run's own.
 */
import * as fs from 'node:fs';
import {
  DeleteObjectsCommand, ListObjectVersionsCommand, ListObjectsV2Command, PutObjectCommand, type ObjectIdentifier, type S3Client,
} from '@aws-sdk/client-s3';
import type { SampleFile } from './samples';
import { rawKeyOf } from './samples';
import { type Timing, retryThrottled } from './polling';

export interface UploadedSample extends SampleFile {
  readonly key: string;
  readonly body: Buffer;
  /**
   * What the transform sees as the object's version: the version id of a versioned bucket, else
   * the ETag without quotes (the Object Created event carries the same).
   */
  readonly version: string;
  readonly versioned: boolean;
}

export async function uploadSample(s3: S3Client, bucket: string, runId: string, sample: SampleFile, timing: Timing): Promise<UploadedSample> {
  const key = rawKeyOf(runId, sample);
  const body = fs.readFileSync(sample.file);
  const response = await retryThrottled(() => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })), { timing });
  const versionId = response.VersionId && response.VersionId !== 'null' ? response.VersionId : undefined;
  const version = versionId ?? response.ETag?.replace(/"/g, '');
  if (!version) throw new Error(`s3://${bucket}/${key}: the upload returned neither a version id nor an ETag`);
  return { ...sample, key, body, version, versioned: versionId !== undefined };
}

/** Keys under a prefix (all pages). */
export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/** Every version and delete marker under a prefix (all pages). */
async function listVersions(s3: S3Client, bucket: string, prefix: string): Promise<ObjectIdentifier[]> {
  const found: ObjectIdentifier[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
    for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
      if (entry.Key) found.push({ Key: entry.Key, VersionId: entry.VersionId });
    }
    if (!page.IsTruncated) return found;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

export interface RemoveOptions {
  /** Delete every version (versioned buckets) instead of the current object. */
  readonly allVersions: boolean;
  readonly timing: Timing;
}

/**
 * Removes everything under the given prefixes (exact keys are prefixes of themselves, and the
 * callers pass only run-unique prefixes). Returns the keys removed; a key S3 refused is an error.
 */
export async function removeUnder(s3: S3Client, bucket: string, prefixes: readonly string[], options: RemoveOptions): Promise<string[]> {
  const targets: ObjectIdentifier[] = [];
  for (const prefix of new Set(prefixes)) {
    if (options.allVersions) targets.push(...await retryThrottled(() => listVersions(s3, bucket, prefix), options));
    else targets.push(...(await retryThrottled(() => listKeys(s3, bucket, prefix), options)).map((Key) => ({ Key })));
  }
  const failures: string[] = [];
  // DeleteObjects takes at most 1,000 keys per request.
  for (let start = 0; start < targets.length; start += 1_000) {
    const chunk = targets.slice(start, start + 1_000);
    const response = await retryThrottled(() => s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: chunk, Quiet: true } })), options);
    for (const error of response.Errors ?? []) failures.push(`${error.Key}${error.VersionId ? ` (version ${error.VersionId})` : ''}: ${error.Code}: ${error.Message}`);
  }
  if (failures.length > 0) throw new Error(`could not remove from s3://${bucket}: ${failures.join('; ')}`);
  return [...new Set(targets.map((target) => target.Key!))].sort();
}

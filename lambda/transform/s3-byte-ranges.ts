/**
 * Byte ranges of one S3 object version (object-bytes.ts): its size from HeadObject, then a ranged
 * GetObject per read. Every read names the version, so a file overwritten while it is read cannot
 * mix two versions' bytes.
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ByteRanges } from './object-bytes';

export interface S3ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  /** The version id, or undefined for the current version of an unversioned object. */
  readonly versionId?: string;
}

export async function s3ByteRanges(s3: S3Client, object: S3ObjectVersion): Promise<ByteRanges> {
  const where = { Bucket: object.bucket, Key: object.key, VersionId: object.versionId };
  const head = await s3.send(new HeadObjectCommand(where));
  const byteLength = head.ContentLength ?? 0;
  // Without a version id, pin the reads to the version HeadObject saw by its ETag.
  const IfMatch = object.versionId === undefined ? head.ETag : undefined;
  return {
    byteLength,
    async read(start, end) {
      if (end <= start) return new Uint8Array(0);
      const response = await s3.send(new GetObjectCommand({ ...where, IfMatch, Range: `bytes=${start}-${end - 1}` }));
      const bytes = await response.Body!.transformToByteArray();
      // An endpoint that ignored the range sends the whole object: keep only what was asked for.
      return bytes.byteLength === end - start ? bytes : bytes.subarray(start, end);
    },
  };
}

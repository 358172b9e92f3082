/** Writes transform outputs to the standardized bucket (SSE-KMS comes from the bucket default). */
import { DeleteObjectsCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { OutputFile } from './partitioned-writer';
import type { OutputStore } from './transform-object';

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;

/** By key ending: Parquet data, quarantine lines, and the manifest. */
function contentTypeOf(key: string): string {
  if (key.endsWith('.parquet')) return 'application/vnd.apache.parquet';
  if (key.endsWith('.json')) return 'application/json';
  return 'application/x-ndjson';
}

export class S3OutputStore implements OutputStore {
  constructor(private readonly s3: S3Client, private readonly bucket: string) {}

  public async put(file: OutputFile): Promise<void> {
    await this.s3.send(new PutObjectCommand({
      Bucket: this.bucket,
      Key: file.key,
      Body: file.body,
      ContentType: contentTypeOf(file.key),
    }));
  }

  /** The role may list the bucket, so a missing key is NoSuchKey (404), not AccessDenied. */
  public async get(key: string): Promise<Buffer | undefined> {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return Buffer.from(await response.Body!.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  public async remove(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      await this.s3.send(new DeleteObjectsCommand({
        Bucket: this.bucket,
        Delete: { Objects: keys.slice(start, start + DELETE_BATCH).map((Key) => ({ Key })), Quiet: true },
      }));
    }
  }
}

/** The raw bucket as the pull uses it: pages, kept errors with their reasons, and the pull state. */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type ApiErrorReason, type ApiPullState, apiStateKey } from '../../contract/api-source';

export class RawStore {
  constructor(private readonly s3: S3Client, private readonly bucket: string) {}

  async put(key: string, body: string, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  async keepError(keys: { body: string; reason: string }, body: string, reason: ApiErrorReason): Promise<void> {
    await this.put(keys.body, body, 'application/octet-stream');
    await this.put(keys.reason, `${JSON.stringify(reason, null, 2)}\n`, 'application/json');
  }

  async readState(dataset: string): Promise<ApiPullState> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: apiStateKey(dataset) }));
      const state = JSON.parse(await object.Body!.transformToString()) as ApiPullState;
      return { lastComplete: { ...state.lastComplete } };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return { lastComplete: {} };
      throw error;
    }
  }

  async writeState(dataset: string, state: ApiPullState): Promise<void> {
    await this.put(apiStateKey(dataset), `${JSON.stringify(state, null, 2)}\n`, 'application/json');
  }
}

/**
 * Replays one dataset's raw objects: lists the current version of every object under its raw
 * prefix, and sends the transform queue each one's Object Created event (contract/object-created-event.ts),
 * built as S3 would from the version's key, size, ETag, version id and LastModified. The transform
 * cannot tell the message from S3's own: it reads the object with the config it is deployed with
 * and replaces what an earlier transform of the same version wrote (contract/standardized-layout.ts).
 *
 * The event's time is the object's LastModified, to the second, as S3 stamps it: replayed rows keep
 * the arrival time that orders them against other deliveries in the conformed layer.
 */
import { type ListObjectVersionsCommandOutput, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { objectCreatedEvent, type CreatedObjectFields } from '../../contract/object-created-event';
import { hiddenNameOf, rawPrefix } from '../../contract/raw-layout';
import { parameterName } from '../../lib/config/names';
import type { ReplayTarget } from './replay-arguments';

/** SQS takes at most ten messages per SendMessageBatch. */
const BATCH = 10;

export interface ReplayClients {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly ssm: SSMClient;
}

export interface ReplayOptions {
  readonly since?: string;
  readonly until?: string;
  readonly dryRun: boolean;
  /** Progress lines (stderr in the command). */
  readonly progress?: (line: string) => void;
}

export interface ReplayResult {
  readonly rawBucket: string;
  readonly queueUrl: string;
  readonly prefix: string;
  /** The objects whose events were sent (or, with dryRun, would be). */
  readonly objects: readonly CreatedObjectFields[];
  /** Hidden keys (a writer's temporary and marker files) left out, as the transform skips them. */
  readonly hidden: number;
  /** Events SQS refused, with its reason. */
  readonly failed: ReadonlyArray<{ readonly key: string; readonly reason: string }>;
}

/** The deployed raw bucket and transform queue, from the SSM parameters the stacks publish. */
export async function replayResources(ssm: SSMClient, target: ReplayTarget): Promise<{ rawBucket: string; queueUrl: string }> {
  const scope = { organisation: target.organisation, environment: target.environment.name };
  const names = { rawBucket: parameterName(scope, target.lob.name, 'buckets/raw'), queueUrl: parameterName(scope, target.lob.name, 'transform/queue-url') };
  const response = await ssm.send(new GetParametersCommand({ Names: Object.values(names) }));
  const value = (name: string) => response.Parameters?.find((parameter) => parameter.Name === name)?.Value;
  const missing = Object.values(names).filter((name) => value(name) === undefined);
  if (missing.length > 0) {
    throw new Error(`SSM parameter(s) ${missing.join(', ')} not found: deploy ${target.environment.name}/${target.lob.name}-* first, and check that your credentials are for account ${target.environment.account} in ${target.environment.region}`);
  }
  return { rawBucket: value(names.rawBucket)!, queueUrl: value(names.queueUrl)! };
}

/** The UTC day of a time, as yyyy-mm-dd. */
const dayOf = (time: Date) => time.toISOString().slice(0, 10);

/** The current version of each object under `prefix` that arrived within the days, and how many hidden keys were left out. */
export async function currentObjects(s3: S3Client, bucket: string, prefix: string, days: { since?: string; until?: string }): Promise<{ objects: CreatedObjectFields[]; hidden: number }> {
  const objects: CreatedObjectFields[] = [];
  let hidden = 0;
  let page: ListObjectVersionsCommandOutput | undefined;
  do {
    page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: page?.NextKeyMarker, VersionIdMarker: page?.NextVersionIdMarker }));
    // Deleted objects have a delete marker as their latest version, and so no entry here.
    for (const version of page.Versions ?? []) {
      if (!version.IsLatest || !version.Key || !version.LastModified) continue;
      if (hiddenNameOf(version.Key) !== undefined) { hidden++; continue; }
      const day = dayOf(version.LastModified);
      if ((days.since !== undefined && day < days.since) || (days.until !== undefined && day > days.until)) continue;
      objects.push({
        bucket, key: version.Key, size: version.Size ?? 0, etag: version.ETag ?? '', time: version.LastModified,
        ...(version.VersionId && version.VersionId !== 'null' ? { versionId: version.VersionId } : {}),
      });
    }
  } while (page.IsTruncated);
  return { objects, hidden };
}

export async function replayDataset(clients: ReplayClients, target: ReplayTarget, options: ReplayOptions): Promise<ReplayResult> {
  const { rawBucket, queueUrl } = await replayResources(clients.ssm, target);
  const prefix = rawPrefix(target.dataset.name, target.dataset.ingest);
  const { objects, hidden } = await currentObjects(clients.s3, rawBucket, prefix, options);
  options.progress?.(`replay: ${objects.length} object(s) under s3://${rawBucket}/${prefix}${hidden > 0 ? ` (${hidden} hidden key(s) left out)` : ''}`);
  const failed: Array<{ key: string; reason: string }> = [];
  if (!options.dryRun) {
    for (let start = 0; start < objects.length; start += BATCH) {
      const batch = objects.slice(start, start + BATCH);
      const response = await clients.sqs.send(new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((object, index) => ({ Id: String(index), MessageBody: JSON.stringify(objectCreatedEvent(object)) })),
      }));
      for (const entry of response.Failed ?? []) failed.push({ key: batch[Number(entry.Id)].key, reason: `${entry.Code ?? 'error'}: ${entry.Message ?? 'no message'}` });
      options.progress?.(`replay: ${Math.min(start + BATCH, objects.length)}/${objects.length} sent`);
    }
  }
  return { rawBucket, queueUrl, prefix, objects, hidden, failed };
}

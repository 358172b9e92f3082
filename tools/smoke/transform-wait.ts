/**
 * Waiting for the deployed transform: until every predicted standardized object of the run
 * exists, each object's manifest included (the transform writes it last, and curation finds new
 * data through it). The wait fails early, with the reason, when the transform marks one of the
 * run's objects unreadable, or when the dead-letter queue gains messages.
 *
 * The dead-letter queue is read through its attributes (`ApproximateNumberOfMessages`, the
 * attribute behind CloudWatch's ApproximateNumberOfMessagesVisible), never
 * by receiving: a receive would hide the messages from whoever is investigating them. The count is
 * approximate and covers the whole LoB, and a message of this run reaches it only after the
 * queue's maxReceiveCount deliveries, each a visibility timeout apart; so the count catches
 * failures already under way, while the unreadable marker and the deadline catch the run's own.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { OUTPUTS_PREFIX, unreadableMarkerKey } from '../../contract/standardized-layout';
import { type ExpectedOutputs, manifestKeys, manifestPattern, outputPrefixes } from './expected-outputs';
import { type Timing, formatDuration, poll, retryThrottled } from './polling';
import { listKeys } from './s3-objects';

export async function deadLetterCount(sqs: SQSClient, queueUrl: string, timing: Timing): Promise<number> {
  const response = await retryThrottled(() => sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] })), { timing });
  const value = Number(response.Attributes?.ApproximateNumberOfMessages);
  if (!Number.isInteger(value)) throw new Error(`${queueUrl}: no ApproximateNumberOfMessages in GetQueueAttributes`);
  return value;
}

export interface TransformTarget {
  readonly dataset: string;
  /** The raw object, for messages. */
  readonly source: string;
  readonly expected: ExpectedOutputs;
}

export interface TransformWaitOptions {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly standardizedBucket: string;
  readonly deadLetterQueueUrl: string;
  readonly deadLettersBefore: number;
  readonly targets: readonly TransformTarget[];
  /** When the run's first upload began: manifests are filed by the day they are written. */
  readonly uploadsStarted: Date;
  /** The wall clock, for the manifests' days (`timing` measures the wait). Default: the system clock. */
  readonly clock?: () => Date;
  readonly timing: Timing;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly progress?: (line: string) => void;
}

export interface TransformWaitResult {
  /** Every standardized key of the run that exists (expected or not). */
  readonly found: readonly string[];
  readonly expected: number;
  readonly deadLettersAfter: number;
  readonly elapsedMs: number;
}

export async function waitForTransform(options: TransformWaitOptions): Promise<TransformWaitResult> {
  const { s3, timing } = options;
  const clock = options.clock ?? (() => new Date());
  const expectedKeys = new Set(options.targets.flatMap((target) => target.expected.keys));
  const manifested = options.targets.filter((target) => !target.expected.unreadable);
  const expectedCount = expectedKeys.size + manifested.length;
  const started = timing.now();
  let found = new Set<string>();
  let foundManifests = new Set<TransformTarget>();
  let deadLetters = options.deadLettersBefore;
  const missing = () => [
    ...[...expectedKeys].filter((key) => !found.has(key)),
    ...manifested.filter((target) => !foundManifests.has(target)).map((target) => manifestPattern(target.dataset, target.expected)),
  ].sort();
  return poll({
    what: `the transform's outputs in s3://${options.standardizedBucket}`,
    timing,
    timeoutMs: options.timeoutMs,
    intervalMs: options.intervalMs ?? 5_000,
    check: async () => {
      const now = new Set<string>();
      const window = { from: options.uploadsStarted, to: clock() };
      for (const target of options.targets) {
        // The outputs record follows the manifest by moments; it is bookkeeping, not an output to wait for or count.
        for (const prefix of outputPrefixes(target.dataset, target.expected, window)) {
          for (const key of await listKeys(s3, options.standardizedBucket, prefix)) if (!key.startsWith(OUTPUTS_PREFIX)) now.add(key);
        }
        const marker = unreadableMarkerKey(target.dataset, target.expected.sourceId);
        if (now.has(marker) && !target.expected.unreadable) {
          throw new Error(`the transform could not read ${target.source}: ${await markerReason(s3, options.standardizedBucket, marker)}`);
        }
      }
      found = now;
      foundManifests = new Set(manifested.filter((target) => manifestKeys(target.dataset, target.expected, window).some((key) => now.has(key))));
      deadLetters = await deadLetterCount(options.sqs, options.deadLetterQueueUrl, timing);
      if (deadLetters > options.deadLettersBefore) {
        throw new Error(`${deadLetters - options.deadLettersBefore} new message(s) in the dead-letter queue (${options.deadLettersBefore} before, ${deadLetters} now): a raw object failed the transform; see docs/operations.md, "Troubleshooting": "A raw object was not transformed"`);
      }
      if (missing().length > 0) return undefined;
      return { found: [...found].sort(), expected: expectedCount, deadLettersAfter: deadLetters, elapsedMs: timing.now() - started };
    },
    onWait: (elapsed) => options.progress?.(`transform: ${expectedCount - missing().length}/${expectedCount} outputs after ${formatDuration(elapsed)} (timeout ${formatDuration(options.timeoutMs)})`),
    describeState: () => {
      const absent = missing();
      return `${absent.length} of ${expectedCount} missing: ${absent.slice(0, 5).join(', ')}${absent.length > 5 ? ', …' : ''}`;
    },
  });
}

async function markerReason(s3: S3Client, bucket: string, key: string): Promise<string> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = await object.Body!.transformToString();
    return (JSON.parse(text) as { reason?: string }).reason ?? text;
  } catch (error) {
    return `see s3://${bucket}/${key} (${(error as Error).message})`;
  }
}

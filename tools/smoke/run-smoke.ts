/**
 * A smoke run against one deployed environment and LoB (see scripts/smoke.ts for the command):
 *
 *   parameters -> upload samples -> transform -> curation -> named queries -> cleanup
 *
 * Each step becomes one row of the report. A failed step stops the steps after it (they cannot
 * mean anything without it), except that every named query runs regardless of the others, and
 * cleanup always runs: a smoke run must not leave sample data in a lake because it failed.
 */
import * as fs from 'node:fs';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { MANIFESTS_PREFIX } from '../../contract/standardized-layout';
import { writerSettingsOf } from '../../contract/transform-settings';
import { namedQueries } from '../../lib/analytics/named-queries';
import type { ResolvedTarget } from './arguments';
import { formatBytes, namedQueriesOf, runNamedQuery } from './athena-queries';
import { runCuration } from './curation';
import { type ExpectedOutputs, expectedOutputs, outputPrefixes } from './expected-outputs';
import { type LakeResources, readLakeResources } from './parameters';
import { type Timing, formatDuration } from './polling';
import { type StepResult, describeError } from './report';
import { removeUnder, uploadSample, type UploadedSample } from './s3-objects';
import { rawKeyOf, sampleFiles } from './samples';
import { deadLetterCount, waitForTransform } from './transform-wait';

export interface SmokeClients {
  readonly s3: S3Client;
  readonly ssm: SSMClient;
  readonly sqs: SQSClient;
  readonly sfn: SFNClient;
  readonly athena: AthenaClient;
}

export interface SmokeOptions {
  readonly target: ResolvedTarget;
  readonly samplesDir: string;
  readonly runId: string;
  readonly keep: boolean;
  readonly timeoutsMs: { readonly transform: number; readonly curation: number; readonly query: number };
  /** Poll intervals; the defaults suit AWS, tests shorten them. */
  readonly intervalsMs?: { readonly transform?: number; readonly curation?: number; readonly query?: number };
  /** The LoB's named query files, to check each is deployed (default: config/queries/<lob>/). */
  readonly expectedQueryNames?: readonly string[];
}

export interface SmokeDependencies {
  readonly clients: SmokeClients;
  readonly timing: Timing;
  /** A transient status line while waiting. */
  readonly progress?: (line: string) => void;
}

export interface SmokeReport {
  readonly runId: string;
  readonly steps: readonly StepResult[];
  readonly passed: boolean;
}

interface Upload {
  readonly sample: UploadedSample;
  readonly expected: ExpectedOutputs;
}

export async function runSmoke(options: SmokeOptions, deps: SmokeDependencies): Promise<SmokeReport> {
  const { clients, timing } = deps;
  const { target, runId } = options;
  const { lob } = target;
  const steps: StepResult[] = [];
  let stoppedBy: string | undefined;

  /** Runs one step unless an earlier one failed; `independent` steps do not stop the ones after them. */
  async function step<T>(name: string, resource: string, run: () => Promise<{ value: T; detail: string }>, independent = false): Promise<{ value: T } | undefined> {
    if (stoppedBy) {
      steps.push({ step: name, resource, status: 'SKIP', detail: `not run: ${stoppedBy} failed` });
      return undefined;
    }
    try {
      const { value, detail } = await run();
      steps.push({ step: name, resource, status: 'PASS', detail });
      return { value };
    } catch (error) {
      steps.push({ step: name, resource, status: 'FAIL', detail: describeError(error) });
      if (!independent) stoppedBy = name;
      return undefined;
    }
  }

  const resources = (await step<LakeResources>('parameters', `ssm:/${target.organisation}/${target.environment.name}/${lob.name}/`, async () => {
    const value = await readLakeResources(clients.ssm, {
      organisation: target.organisation, environment: target.environment.name, account: target.environment.account,
      region: target.environment.region, lob: lob.name, persona: target.persona,
    }, timing);
    return { value, detail: `${value.count} parameters under ${value.prefix}` };
  }))?.value;

  const uploads: Upload[] = [];
  /** Manifests are filed by the day the transform writes them, from here on. */
  const uploadsStarted = new Date();
  /** Raw keys written, recorded as soon as each upload returns, so cleanup finds them whatever fails next. */
  const uploadedKeys: string[] = [];
  /** The raw bucket keeps versions (every lake bucket does, so cleanup removes every version everywhere). */
  let versioned = false;
  const resultLocations: string[] = [];
  let deadLettersBefore = 0;
  const raw = resources ? `s3://${resources.rawBucket}` : 'raw bucket';

  await step('upload', raw, async () => {
    const samples = sampleFiles(options.samplesDir, lob);
    try {
      deadLettersBefore = await deadLetterCount(clients.sqs, resources!.deadLetterQueueUrl, timing);
    } catch (error) {
      throw new Error(`dead-letter queue ${resources!.deadLetterQueueUrl}: ${describeError(error)}`);
    }
    const skipped: string[] = [];
    const writer = writerSettingsOf(lob);
    for (const sample of samples) {
      const dataset = lob.datasets.find((candidate) => candidate.name === sample.dataset)!;
      // Samples the transform cannot read at all (they are in the samples on purpose) would fail
      // their message until it reaches the dead-letter queue and raises its alarm: not uploaded.
      const planned = await expectedOutputs(dataset, { bucket: resources!.rawBucket, key: rawKeyOf(runId, sample), version: 'planned' }, fs.readFileSync(sample.file), writer);
      if (planned.unreadable) { skipped.push(`${sample.dataset}/${sample.name}`); continue; }
      const uploaded = await uploadSample(clients.s3, resources!.rawBucket, runId, sample, timing);
      uploadedKeys.push(uploaded.key);
      versioned ||= uploaded.versioned;
      uploads.push({ sample: uploaded, expected: await expectedOutputs(dataset, { bucket: resources!.rawBucket, key: uploaded.key, version: uploaded.version }, uploaded.body, writer) });
    }
    if (uploads.length === 0) throw new Error(`${options.samplesDir}: every sample is unreadable by design; nothing to upload`);
    const skippedNote = skipped.length > 0 ? `; skipped ${skipped.join(', ')} (unreadable on purpose: it would end in the dead-letter queue and raise its alarm)` : '';
    return { value: undefined, detail: `${uploads.length} files as ${rawKeyOf(runId, { dataset: '<dataset>', name: '<file>' })}${skippedNote}` };
  });

  const standardized = resources ? `s3://${resources.standardizedBucket}` : 'standardized bucket';
  await step('transform', standardized, async () => {
    const result = await waitForTransform({
      s3: clients.s3, sqs: clients.sqs, standardizedBucket: resources!.standardizedBucket, deadLetterQueueUrl: resources!.deadLetterQueueUrl,
      deadLettersBefore, uploadsStarted, timing, timeoutMs: options.timeoutsMs.transform, intervalMs: options.intervalsMs?.transform, progress: deps.progress,
      targets: uploads.map(({ sample, expected }) => ({ dataset: sample.dataset, source: `s3://${resources!.rawBucket}/${sample.key}`, expected })),
    });
    const parquet = result.found.filter((key) => key.endsWith('.parquet')).length;
    const manifests = result.found.filter((key) => key.startsWith(MANIFESTS_PREFIX)).length;
    return {
      value: undefined,
      detail: `${result.found.length} objects (${parquet} Parquet, ${result.found.length - parquet - manifests} quarantine, ${manifests} manifests) in ${formatDuration(result.elapsedMs)}; dead-letter queue ${deadLettersBefore} -> ${result.deadLettersAfter}`,
    };
  });

  await step('curation', resources?.stateMachineArn ?? 'curation state machine', async () => {
    const result = await runCuration({
      sfn: clients.sfn, stateMachineArn: resources!.stateMachineArn, name: runId, timing,
      timeoutMs: options.timeoutsMs.curation, intervalMs: options.intervalsMs?.curation, progress: deps.progress,
    });
    return { value: undefined, detail: `SUCCEEDED in ${formatDuration(result.elapsedMs)} (execution ${runId})` };
  });

  const workgroup = resources?.workgroup ?? `${target.persona} workgroup`;
  const queries = (await step('named queries', `athena:${workgroup}`, async () => {
    const deployed = await namedQueriesOf(clients.athena, resources!.workgroup, timing);
    const expected = options.expectedQueryNames ?? namedQueries(lob.name).map((query) => query.name);
    const absent = expected.filter((name) => !deployed.some((query) => query.Name === name));
    if (absent.length > 0) throw new Error(`not deployed in workgroup ${resources!.workgroup}: ${absent.join(', ')} (config/queries/${lob.name}/); deploy ${target.environment.name}/${lob.name}-analytics`);
    return { value: deployed, detail: deployed.length === 0 ? 'none deployed, none configured' : `${deployed.length} deployed: ${deployed.map((q) => q.Name).join(', ')}` };
  }))?.value ?? [];

  for (const query of queries) {
    await step(`query ${query.Name}`, `athena:${workgroup}`, async () => {
      const result = await runNamedQuery(query, {
        athena: clients.athena, workgroup: resources!.workgroup, timing, timeoutMs: options.timeoutsMs.query, intervalMs: options.intervalsMs?.query, progress: deps.progress,
      });
      if (result.outputLocation) resultLocations.push(result.outputLocation);
      if (result.rows === 0) throw new Error(`query ${query.Name} returned no rows (${formatBytes(result.bytesScanned)} scanned, execution ${result.queryExecutionId})`);
      return { value: undefined, detail: `${result.rows}${result.more ? '+' : ''} row${result.rows === 1 && !result.more ? '' : 's'}, ${formatBytes(result.bytesScanned)} scanned in ${formatDuration(result.elapsedMs)}` };
    }, true);
  }

  await cleanup();
  return { runId, steps, passed: steps.every((row) => row.status !== 'FAIL') };

  /** Removes the run's raw uploads, the standardized objects they caused, and the query results. */
  async function cleanup(): Promise<void> {
    if (!resources || uploadedKeys.length === 0) {
      steps.push({ step: 'cleanup', resource: '-', status: 'SKIP', detail: 'nothing was uploaded' });
      return;
    }
    const allVersions = versioned;
    const window = { from: uploadsStarted, to: new Date() };
    const removals: Array<{ bucket: string; prefixes: string[] }> = [
      { bucket: resources.rawBucket, prefixes: uploadedKeys },
      { bucket: resources.standardizedBucket, prefixes: uploads.flatMap((upload) => outputPrefixes(upload.sample.dataset, upload.expected, window)) },
    ];
    for (const location of resultLocations) {
      const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(location);
      // `<id>.csv` is also the prefix of Athena's `<id>.csv.metadata`.
      if (match) removals.push({ bucket: match[1], prefixes: [match[2]] });
    }
    const byBucket = new Map<string, string[]>();
    for (const { bucket, prefixes } of removals) byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), ...prefixes]);
    for (const [bucket, prefixes] of byBucket) {
      if (prefixes.length === 0) continue;
      if (options.keep) {
        steps.push({ step: 'cleanup', resource: `s3://${bucket}`, status: 'SKIP', detail: `kept (--keep): ${prefixes.length} prefix(es) of run ${runId}` });
        continue;
      }
      try {
        const removed = await removeUnder(clients.s3, bucket, prefixes, { allVersions, timing });
        steps.push({ step: 'cleanup', resource: `s3://${bucket}`, status: 'PASS', detail: `removed ${removed.length} objects${allVersions ? ' (every version)' : ''}` });
      } catch (error) {
        steps.push({ step: 'cleanup', resource: `s3://${bucket}`, status: 'FAIL', detail: describeError(error) });
      }
    }
  }
}

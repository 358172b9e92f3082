/**
 * The API pull Lambda: on its schedule (an EventBridge event whose `time` is the run's instant),
 * requests every parameter set's missed and current periods and writes each response as received
 * to raw `landing/<dataset>/api/…`, from where the transform takes over (contract/api-source.ts).
 *
 * The secret is read once per invocation from Secrets Manager and never logged: URLs and reasons
 * are masked before they reach a log line or an error file. Giving up is not an exception (the
 * state keeps the period for the next run); it is counted, logged, and alarmed on.
 *
 * Settings: contract/pull-settings.ts, read from the environment (the spec is bundled at synth).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import * as pullSettings from '../../contract/pull-settings';
import { type PullSummary, runPull } from './pull-run';
import { RawStore } from './raw-store';

const { PULL_IDENTITY, PULL_METRICS } = pullSettings;
const logger = new Logger({ serviceName: PULL_IDENTITY.serviceName });
const metrics = new Metrics({ namespace: PULL_IDENTITY.metricsNamespace, serviceName: PULL_IDENTITY.metricsService });

/** Time kept back from the Lambda timeout to write state and flush metrics. */
const RESERVE_MS = 15_000;
/** Local runs without a Lambda context. */
const LOCAL_BUDGET_MS = 5 * 60_000;

async function readSecret(source: pullSettings.SecretSource | undefined): Promise<string | undefined> {
  if (source === undefined) return undefined;
  if ('variable' in source) {
    const value = process.env[source.variable];
    if (!value) throw new Error(`${source.variable} holds no secret`);
    return value;
  }
  const client = new SecretsManagerClient({});
  try {
    const result = await client.send(new GetSecretValueCommand({ SecretId: source.arn }));
    if (!result.SecretString) throw new Error(`secret ${source.arn} has no string value`);
    return result.SecretString;
  } finally {
    client.destroy();
  }
}

export async function handler(event: { time?: string } = {}, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<PullSummary> {
  const settings = pullSettings.fromEnvironment(pullSettings.processEnvironment());
  const { spec } = settings;
  const deadline = Date.now() + (context ? context.getRemainingTimeInMillis() - RESERVE_MS : LOCAL_BUDGET_MS);
  const secret = await readSecret(settings.secret);
  const s3 = new S3Client({ forcePathStyle: settings.s3Endpoint !== undefined });
  try {
    const summary = await runPull({
      spec, secret, deadline, store: new RawStore(s3, settings.rawBucket), time: event.time ? new Date(event.time) : new Date(),
      log: { info: (m, f) => logger.info(m, f), warn: (m, f) => logger.warn(m, f), error: (m, f) => logger.error(m, f) },
    });
    logger.info('pulled', { dataset: spec.dataset, ...summary, written: summary.written.length });
    metrics.addDimension('dataset', spec.dataset);
    metrics.addMetric(PULL_METRICS.requests, MetricUnit.Count, summary.requests);
    metrics.addMetric(PULL_METRICS.pagesWritten, MetricUnit.Count, summary.pagesWritten);
    metrics.addMetric(PULL_METRICS.errorsKept, MetricUnit.Count, summary.errorsKept);
    metrics.addMetric(PULL_METRICS.retries, MetricUnit.Count, summary.retries);
    metrics.addMetric(PULL_METRICS.periodsCaughtUp, MetricUnit.Count, summary.periodsCaughtUp);
    metrics.addMetric(PULL_METRICS.gaveUp, MetricUnit.Count, summary.gaveUp);
    metrics.publishStoredMetrics();
    return summary;
  } finally {
    s3.destroy();
  }
}

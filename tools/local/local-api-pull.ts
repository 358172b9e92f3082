/**
 * Local mode's API pull (`npm run local -- --pull <dataset> --api-url <url> [--secret-env <VAR>]`):
 * the real pull handler (lambda/pull/handler.ts) against a URL the user names, writing into the
 * local lake's raw bucket (so its state, and with it catch-up, carries over between runs). The
 * pages it wrote are copied under `pulledRaw/landing/…` for local mode to hand to the transform.
 *
 * The secret comes from an environment variable the user names, never from the command line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { PERIOD_PLACEHOLDER, SECRET_PLACEHOLDER, placeholdersOf, specUses } from '../../contract/api-source';
import * as pullSettings from '../../contract/pull-settings';
import type { LobConfig } from '../../lib/config/lob-schema';
import { apiPullSpec } from '../../lib/ingest/api-pull-spec';
import type * as PullHandler from '../../lambda/pull/handler';
import { startEmbeddedS3 } from './embedded-lake';

export class LocalApiPullError extends Error {}

export interface LocalApiPullOptions {
  readonly dataset: string;
  /** The URL template to request instead of the configured one (same placeholders). */
  readonly url: string;
  /** The variable holding the secret, when the URL or headers use {secret}. */
  readonly secretVariable?: string;
  /** The run's instant (its UTC date is the newest period). Default now. */
  readonly time?: Date;
}

export interface ApiPullReport {
  readonly dataset: string;
  readonly requests: number;
  readonly pagesWritten: number;
  readonly errorsKept: number;
  readonly retries: number;
  readonly periodsCaughtUp: number;
  readonly gaveUp: number;
  readonly written: string[];
}

export async function runLocalApiPull(lob: LobConfig, options: LocalApiPullOptions, pulledRaw: string, lakeDirectory: string, region: string, rawBucket: string): Promise<ApiPullReport> {
  const dataset = lob.datasets.find((candidate) => candidate.name === options.dataset);
  const source = dataset?.source?.api;
  if (!dataset || !source) {
    const withApi = lob.datasets.filter((candidate) => candidate.source?.api).map((candidate) => candidate.name);
    throw new LocalApiPullError(`--pull ${options.dataset}: expected a dataset of ${lob.name} with source.api (${withApi.join(', ') || 'none has one'})`);
  }
  if (!/^https?:\/\/\S+$/.test(options.url)) throw new LocalApiPullError(`--api-url must be an http(s) URL; got ${JSON.stringify(options.url)}`);
  const known = [...Object.keys(source.parameters), PERIOD_PLACEHOLDER, SECRET_PLACEHOLDER];
  const unknown = placeholdersOf(options.url).filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new LocalApiPullError(`--api-url: unknown placeholder {${unknown[0]}}; expected one of ${known.map((name) => `{${name}}`).join(', ')}`);
  const spec = apiPullSpec(dataset, source, options.url);
  const needsSecret = specUses(spec, SECRET_PLACEHOLDER);
  if (needsSecret && (!options.secretVariable || !process.env[options.secretVariable])) {
    throw new LocalApiPullError(`the ${dataset.name} request uses {secret}: name the environment variable that holds it with --secret-env (set and not empty)`);
  }

  const lake = await startEmbeddedS3({ directory: lakeDirectory, region, buckets: [rawBucket] });
  const restoreConsole = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  try {
    // Handler logs go to stderr: local mode's stdout carries only its summary.
    const toStderr = (...args: unknown[]) => { process.stderr.write(`${format(...args)}\n`); };
    Object.assign(console, { log: toStderr, info: toStderr, warn: toStderr, error: toStderr, debug: toStderr });
    Object.assign(process.env, {
      AWS_REGION: region, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
      ...pullSettings.toEnvironment({
        rawBucket, spec, s3Endpoint: lake.endpoint, powertools: { dev: true, metricsDisabled: true },
        ...(needsSecret ? { secret: { variable: options.secretVariable! } } : {}),
      }),
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require('../../lambda/pull/handler') as typeof PullHandler;
    const summary = await handler({ time: (options.time ?? new Date()).toISOString() });
    for (const key of summary.written) {
      const object = await lake.s3.send(new GetObjectCommand({ Bucket: rawBucket, Key: key }));
      const target = path.join(pulledRaw, ...key.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, await object.Body!.transformToByteArray());
    }
    const { requests, pagesWritten, errorsKept, retries, periodsCaughtUp, gaveUp, written } = summary;
    return { dataset: dataset.name, requests, pagesWritten, errorsKept, retries, periodsCaughtUp, gaveUp, written };
  } finally {
    Object.assign(console, restoreConsole);
    await lake.stop();
  }
}

/**
 * The API pull Lambda's settings (lambda/pull/handler.ts), and their one spelling as environment
 * variables (see lambda-environment.ts):
 *
 *   RAW_BUCKET              where responses, kept errors and the pull state go
 *   LAKEWORKS_API_PULL      the pull spec (api-source.ts), base64 JSON; bundled into the code at synth
 *   PULL_SECRET_ARN         the Secrets Manager secret whose value replaces {secret}
 *   PULL_SECRET_VARIABLE    local runs and tests only, instead of PULL_SECRET_ARN: the variable holding the secret
 *   POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE: the function's identity, for Powertools
 *   POWERTOOLS_DEV, POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_DISABLED: local runs and tests only
 *   AWS_ENDPOINT_URL_S3     local runs and tests only: an S3 endpoint (the SDK reads it too)
 */
import { type ApiPullSpec, PARAMETER_VALUE_PATTERN, SECRET_PLACEHOLDER, specUses } from './api-source';
import { encodeBundledJson } from './bundled-json';
import { FORMATS, IDENTIFIER_PATTERN } from './dataset';
import {
  type Environment, EnvironmentError, type FunctionIdentity, METRICS_NAMESPACE, type PowertoolsOverrides, optionalEntry, powertoolsEnvironment, powertoolsOverrides,
  readBundledJson, readOptional, readText,
} from './lambda-environment';

export const PULL_IDENTITY: FunctionIdentity = { serviceName: 'lakeworks-api-pull', metricsNamespace: METRICS_NAMESPACE, metricsService: 'api-pull' };

/** The pull's metrics (dimensions: service, dataset); the ingest stack alarms on errorsKept and gaveUp. */
export const PULL_METRICS = {
  requests: 'ApiRequests', pagesWritten: 'ApiPagesWritten', errorsKept: 'ApiErrorsKept', retries: 'ApiRetries', periodsCaughtUp: 'ApiPeriodsCaughtUp', gaveUp: 'ApiPullsGaveUp',
} as const;

/** Where the secret comes from: Secrets Manager when deployed; a variable in local runs and tests. */
export type SecretSource = { readonly arn: string } | { readonly variable: string };

export interface PullSettings {
  readonly rawBucket: string;
  readonly spec: ApiPullSpec;
  readonly secret?: SecretSource;
  readonly s3Endpoint?: string;
  readonly powertools?: PowertoolsOverrides;
}

export const VARIABLES = [
  'RAW_BUCKET', 'LAKEWORKS_API_PULL', 'PULL_SECRET_ARN', 'PULL_SECRET_VARIABLE', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_DEV', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_DISABLED', 'AWS_ENDPOINT_URL_S3',
] as const;

export const BUNDLED_VARIABLES: readonly string[] = ['LAKEWORKS_API_PULL'];

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:\S+$/;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;

/** What keeps `value` from being a pull spec the handler can run. */
export function specProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not an object';
  if (typeof value.dataset !== 'string' || !IDENTIFIER_PATTERN.test(value.dataset)) return 'no dataset name';
  if (!(FORMATS as readonly unknown[]).includes(value.format)) return `format is not one of ${FORMATS.join(', ')}`;
  if (typeof value.url !== 'string' || !/^https?:\/\/\S+$/.test(value.url)) return 'url is not an http(s) URL template';
  if (!isObject(value.headers) || !Object.values(value.headers).every((header) => typeof header === 'string')) return 'headers is not a map of strings';
  if (!isObject(value.parameters)) return 'parameters is not a map';
  for (const [name, values] of Object.entries(value.parameters)) {
    if (!Array.isArray(values) || values.length === 0 || !values.every((item) => typeof item === 'string' && PARAMETER_VALUE_PATTERN.test(item))) {
      return `parameter ${name} is not a list of values of ${PARAMETER_VALUE_PATTERN}`;
    }
  }
  if (value.pagination !== undefined && !(isObject(value.pagination) && Array.isArray(value.pagination.nextUrl) && value.pagination.nextUrl.length > 0)) return 'pagination.nextUrl is not a path';
  if (!Array.isArray(value.errorFields)) return 'errorFields is not a list';
  for (const name of ['requestsPerMinute', 'maxAttempts', 'retryBaseMs', 'requestTimeoutSeconds', 'catchUpPeriods', 'maxPages'] as const) {
    if (!positive(value[name])) return `${name} is not a positive number`;
  }
  return undefined;
}

export function toEnvironment(settings: PullSettings): Record<string, string> {
  const secret = settings.secret;
  const environment = {
    RAW_BUCKET: settings.rawBucket,
    LAKEWORKS_API_PULL: encodeBundledJson(settings.spec),
    ...(secret && 'arn' in secret ? { PULL_SECRET_ARN: secret.arn } : {}),
    ...(secret && 'variable' in secret ? { PULL_SECRET_VARIABLE: secret.variable } : {}),
    ...powertoolsEnvironment(PULL_IDENTITY, settings.powertools),
    ...(settings.s3Endpoint === undefined ? {} : { AWS_ENDPOINT_URL_S3: settings.s3Endpoint }),
  };
  fromEnvironment(environment);
  return environment;
}

export function processEnvironment(): Environment {
  // Spelled out: esbuild's `define` replaces exactly this expression with the bundled value.
  return { ...process.env, LAKEWORKS_API_PULL: process.env.LAKEWORKS_API_PULL };
}

export function fromEnvironment(environment: Environment = processEnvironment()): PullSettings {
  const spec = readBundledJson<ApiPullSpec>(environment, 'LAKEWORKS_API_PULL', 'an API pull spec', specProblem);
  const arn = readOptional(environment, 'PULL_SECRET_ARN', (env, name) => readText(env, name, 'a Secrets Manager secret ARN', SECRET_ARN));
  const variable = readOptional(environment, 'PULL_SECRET_VARIABLE', (env, name) => readText(env, name, 'an environment variable name', /^[A-Za-z_][A-Za-z0-9_]*$/));
  if (arn !== undefined && variable !== undefined) throw new EnvironmentError('PULL_SECRET_ARN and PULL_SECRET_VARIABLE must not both be set');
  if (specUses(spec, SECRET_PLACEHOLDER) && arn === undefined && variable === undefined) {
    throw new EnvironmentError(`PULL_SECRET_ARN must be set: the ${spec.dataset} pull's URL or headers use {${SECRET_PLACEHOLDER}}`);
  }
  return {
    rawBucket: readText(environment, 'RAW_BUCKET', 'an S3 bucket name', BUCKET_NAME),
    spec,
    ...optionalEntry<'secret', SecretSource>('secret', arn !== undefined ? { arn } : variable !== undefined ? { variable } : undefined),
    ...optionalEntry('s3Endpoint', readOptional(environment, 'AWS_ENDPOINT_URL_S3', (env, name) => readText(env, name, 'an http(s) URL', /^https?:\/\/\S+$/))),
    ...optionalEntry('powertools', powertoolsOverrides(environment)),
  };
}

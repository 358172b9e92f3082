/**
 * The transform Lambda's settings (lambda/transform/handler.ts), and their one spelling as
 * environment variables (see lambda-environment.ts):
 *
 *   STANDARDIZED_BUCKET        where typed Parquet, quarantine and manifests go
 *   LAKEWORKS_DATASETS         the LoB's datasets, base64 JSON; bundled into the code at synth
 *   ROW_GROUP_ROWS             rows per Parquet row group (and the most one invocation buffers)
 *   PARQUET_INTEGER_ENCODING   delta or plain (integer-encoding.ts)
 *   MAX_OBJECT_MB, MAX_GZIP_OBJECT_MB, MAX_PARQUET_OBJECT_MB   the largest raw object one invocation takes (object-size-limit.ts)
 *   POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE: the function's identity, for Powertools
 *   POWERTOOLS_DEV, POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_DISABLED: local runs and tests only
 *   AWS_ENDPOINT_URL_S3        local runs and tests only: an S3 endpoint (the SDK reads it too)
 *
 * The stack, local mode and the test harnesses write them with `toEnvironment()`; the handler
 * reads them with `fromEnvironment()`.
 */
import { encodeBundledJson } from './bundled-json';
import { type Dataset, datasetProblem } from './dataset';
import { DEFAULT_INTEGER_ENCODING, INTEGER_ENCODINGS, type IntegerEncoding } from './integer-encoding';
import { type ObjectSizeLimit, objectSizeLimitOf } from './object-size-limit';
import {
  type Environment, type FunctionIdentity, METRICS_NAMESPACE, type PowertoolsOverrides, optionalEntry, powertoolsEnvironment, powertoolsOverrides,
  readBundledJson, readChoice, readInteger, readOptional, readText,
} from './lambda-environment';

/** Rows per Parquet row group: the config's bounds and default, which the writer uses too. */
export const ROW_GROUP_SIZE = { min: 1000, max: 10_000_000, default: 100_000 } as const;

export const TRANSFORM_IDENTITY: FunctionIdentity = { serviceName: 'lakeworks-transform', metricsNamespace: METRICS_NAMESPACE, metricsService: 'transform' };

export interface TransformSettings {
  readonly standardizedBucket: string;
  /** The line of business's datasets; a raw object's key names its dataset (raw-layout.ts). */
  readonly datasets: readonly Dataset[];
  readonly rowGroupRows: number;
  readonly integerEncoding: IntegerEncoding;
  /** Larger raw objects are refused unread, as unreadable with the reason. */
  readonly objectSizeLimit: ObjectSizeLimit;
  /** Local runs and tests: the S3 endpoint to use; the handler then addresses buckets path-style. */
  readonly s3Endpoint?: string;
  /** Local runs and tests: Powertools' log and metrics switches. */
  readonly powertools?: PowertoolsOverrides;
}

/** What shapes the Parquet the transform writes (the rest says where it goes and how it reports). */
export type TransformWriterSettings = Pick<TransformSettings, 'rowGroupRows' | 'integerEncoding'>;

/** What the settings come from in a LoB's config (lib/config/lob-schema.ts): its datasets and `transform`. */
export interface TransformLob {
  readonly datasets: readonly Dataset[];
  readonly transform: { readonly rowGroupRows: number; readonly parquetIntegerEncoding: IntegerEncoding; readonly memoryMb: number; readonly timeoutSeconds: number };
}

/** The config's defaults: for harnesses that run the transform without a LoB's `transform` block. */
export const DEFAULT_WRITER_SETTINGS: TransformWriterSettings = { rowGroupRows: ROW_GROUP_SIZE.default, integerEncoding: DEFAULT_INTEGER_ENCODING };

export function writerSettingsOf(lob: Pick<TransformLob, 'transform'>): TransformWriterSettings {
  return { rowGroupRows: lob.transform.rowGroupRows, integerEncoding: lob.transform.parquetIntegerEncoding };
}

/**
 * A LoB's transform settings: deployed (no `local`), or for local mode and the tests, which may
 * also set a smaller objectSizeLimit than the function's memory and timeout give.
 */
export function transformSettingsOf(lob: TransformLob, standardizedBucket: string, local: Pick<TransformSettings, 's3Endpoint' | 'powertools'> & Partial<Pick<TransformSettings, 'objectSizeLimit'>> = {}): TransformSettings {
  return { standardizedBucket, datasets: lob.datasets, ...writerSettingsOf(lob), objectSizeLimit: objectSizeLimitOf(lob.transform.memoryMb, lob.transform.timeoutSeconds), ...local };
}

/** Bounds of MAX_OBJECT_MB, MAX_GZIP_OBJECT_MB and MAX_PARQUET_OBJECT_MB: S3's largest object is 5 TB. */
const OBJECT_MB = { min: 1, max: 5 * 1024 * 1024 } as const;

/** Every variable the transform reads. */
export const VARIABLES = [
  'STANDARDIZED_BUCKET', 'ROW_GROUP_ROWS', 'PARQUET_INTEGER_ENCODING', 'MAX_OBJECT_MB', 'MAX_GZIP_OBJECT_MB', 'MAX_PARQUET_OBJECT_MB', 'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_DEV', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_DISABLED', 'LAKEWORKS_DATASETS', 'AWS_ENDPOINT_URL_S3',
] as const;

/** Compiled into the code at synth rather than set on the function. */
export const BUNDLED_VARIABLES: readonly string[] = ['LAKEWORKS_DATASETS'];

/** S3's bucket naming rules, near enough to catch a wrong variable. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function datasetsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return 'no list of datasets';
  for (const dataset of value) {
    const problem = datasetProblem(dataset);
    if (problem) return problem;
  }
  const names = value.map((dataset: Dataset) => dataset.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  return duplicate === undefined ? undefined : `dataset ${duplicate} twice`;
}

/**
 * The variables of `settings`, checked by reading them back: settings the handler would refuse
 * fail here, at synth or before a local run, with the same message.
 */
export function toEnvironment(settings: TransformSettings): Record<string, string> {
  const environment = {
    STANDARDIZED_BUCKET: settings.standardizedBucket,
    ROW_GROUP_ROWS: String(settings.rowGroupRows),
    PARQUET_INTEGER_ENCODING: settings.integerEncoding,
    MAX_OBJECT_MB: String(settings.objectSizeLimit.plainMb),
    MAX_GZIP_OBJECT_MB: String(settings.objectSizeLimit.gzipMb),
    MAX_PARQUET_OBJECT_MB: String(settings.objectSizeLimit.parquetMb),
    ...powertoolsEnvironment(TRANSFORM_IDENTITY, settings.powertools),
    LAKEWORKS_DATASETS: encodeBundledJson(settings.datasets),
    ...(settings.s3Endpoint === undefined ? {} : { AWS_ENDPOINT_URL_S3: settings.s3Endpoint }),
  };
  fromEnvironment(environment);
  return environment;
}

/** The process's environment, with the variables synth compiled into the code. */
export function processEnvironment(): Environment {
  // Spelled out: esbuild's `define` replaces exactly this expression with the bundled value.
  return { ...process.env, LAKEWORKS_DATASETS: process.env.LAKEWORKS_DATASETS };
}

/** The settings, checked; throws an EnvironmentError naming the first variable that is wrong. */
export function fromEnvironment(environment: Environment = processEnvironment()): TransformSettings {
  return {
    standardizedBucket: readText(environment, 'STANDARDIZED_BUCKET', 'an S3 bucket name', BUCKET_NAME),
    datasets: readBundledJson<Dataset[]>(environment, 'LAKEWORKS_DATASETS', 'the line of business\'s datasets', datasetsProblem),
    rowGroupRows: readInteger(environment, 'ROW_GROUP_ROWS', ROW_GROUP_SIZE),
    integerEncoding: readChoice(environment, 'PARQUET_INTEGER_ENCODING', INTEGER_ENCODINGS),
    objectSizeLimit: {
      plainMb: readInteger(environment, 'MAX_OBJECT_MB', OBJECT_MB),
      gzipMb: readInteger(environment, 'MAX_GZIP_OBJECT_MB', OBJECT_MB),
      parquetMb: readInteger(environment, 'MAX_PARQUET_OBJECT_MB', OBJECT_MB),
    },
    ...optionalEntry('s3Endpoint', readOptional(environment, 'AWS_ENDPOINT_URL_S3', (env, name) => readText(env, name, 'an http(s) URL', /^https?:\/\/\S+$/))),
    ...optionalEntry('powertools', powertoolsOverrides(environment)),
  };
}

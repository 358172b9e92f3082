/**
 * The Firehose record processor's settings (lambda/ingest/processor.ts), and their one spelling
 * as environment variables (see lambda-environment.ts):
 *
 *   LAKEWORKS_DATASET   the stream dataset it validates, base64 JSON; bundled into the code at synth
 *   POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE: the function's identity, for Powertools
 *   POWERTOOLS_DEV, POWERTOOLS_LOG_LEVEL, POWERTOOLS_METRICS_DISABLED: local runs and tests only
 *
 * The ingest stack writes them with `toEnvironment()`; the processor reads them with
 * `fromEnvironment()`.
 */
import { encodeBundledJson } from './bundled-json';
import { type Dataset, datasetProblem } from './dataset';
import {
  type Environment, type FunctionIdentity, METRICS_NAMESPACE, type PowertoolsOverrides, optionalEntry, powertoolsEnvironment, powertoolsOverrides, readBundledJson,
} from './lambda-environment';

export const PROCESSOR_IDENTITY: FunctionIdentity = { serviceName: 'lakeworks-ingest-processor', metricsNamespace: METRICS_NAMESPACE, metricsService: 'ingest-processor' };

/** The processor's metrics (dimensions: service, dataset); the ingest stack alarms on rejections. */
export const PROCESSOR_METRICS = { accepted: 'RecordsAccepted', rejected: 'RecordsRejected', rounded: 'RoundedValues' } as const;

export interface ProcessorSettings {
  readonly dataset: Dataset;
  /** Local runs and tests: Powertools' log and metrics switches. */
  readonly powertools?: PowertoolsOverrides;
}

/** Every variable the processor reads. */
export const VARIABLES = [
  'POWERTOOLS_SERVICE_NAME', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_DEV', 'POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_DISABLED', 'LAKEWORKS_DATASET',
] as const;

/** Compiled into the code at synth rather than set on the function. */
export const BUNDLED_VARIABLES: readonly string[] = ['LAKEWORKS_DATASET'];

function streamDatasetProblem(value: unknown): string | undefined {
  const problem = datasetProblem(value);
  if (problem) return problem;
  const dataset = value as Dataset;
  return dataset.ingest === 'stream' ? undefined : `dataset ${dataset.name}: ingest ${dataset.ingest}, not stream`;
}

/** The variables of `settings`, checked by reading them back. */
export function toEnvironment(settings: ProcessorSettings): Record<string, string> {
  const environment = {
    ...powertoolsEnvironment(PROCESSOR_IDENTITY, settings.powertools),
    LAKEWORKS_DATASET: encodeBundledJson(settings.dataset),
  };
  fromEnvironment(environment);
  return environment;
}

/** The process's environment, with the variables synth compiled into the code. */
export function processEnvironment(): Environment {
  // Spelled out: esbuild's `define` replaces exactly this expression with the bundled value.
  return { ...process.env, LAKEWORKS_DATASET: process.env.LAKEWORKS_DATASET };
}

/** The settings, checked; throws an EnvironmentError naming the variable that is wrong. */
export function fromEnvironment(environment: Environment = processEnvironment()): ProcessorSettings {
  return {
    dataset: readBundledJson<Dataset>(environment, 'LAKEWORKS_DATASET', 'a stream dataset', streamDatasetProblem),
    ...optionalEntry('powertools', powertoolsOverrides(environment)),
  };
}

/**
 * What every Lakeworks Lambda's settings module (transform-settings.ts, processor-settings.ts)
 * is made of: a settings object, `toEnvironment()` that writes it as environment variables and
 * `fromEnvironment()` that reads them back, checked, throwing an error that names the variable
 * and what it should hold:
 *
 *   ROW_GROUP_ROWS must be an integer from 1000 to 10000000; got "abc"
 *
 * Deploy (the stacks), local mode and the test harnesses build a function's environment only
 * through `toEnvironment()`, and its handler reads it only through `fromEnvironment()`: a variable
 * is spelled in one place, so a new setting cannot be forgotten by one of them.
 *
 * Some variables are bundled rather than set: synth compiles them into the function's code with
 * esbuild's `define`, which replaces the expression `process.env.<NAME>` (no 4 KB environment
 * limit, no quoting pitfalls). Local mode and the tests set them like the others. A settings
 * module names them in its `BUNDLED_VARIABLES` and reads them as `process.env.<NAME>`, literally,
 * in its `processEnvironment()`.
 */
import { decodeBundledJson } from './bundled-json';

/** Environment variables as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** A variable that is missing or does not hold what it should. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}

function got(value: string | undefined): string {
  return value === undefined || value === '' ? 'nothing (unset)' : JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
}

/** Throws `<name> must be <expected>; got <value>`. */
export function invalid(name: string, expected: string, value: string | undefined): never {
  throw new EnvironmentError(`${name} must be ${expected}; got ${got(value)}`);
}

/** A required variable matching `pattern`, described as `expected`. */
export function readText(environment: Environment, name: string, expected: string, pattern: RegExp = /\S/): string {
  const value = environment[name];
  if (value === undefined || !pattern.test(value)) invalid(name, expected, value);
  return value;
}

export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

export function readInteger(environment: Environment, name: string, range: IntegerRange): number {
  const value = environment[name];
  const number = value !== undefined && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < range.min || number > range.max) invalid(name, `an integer from ${range.min} to ${range.max}`, value);
  return number;
}

export function readChoice<T extends string>(environment: Environment, name: string, choices: readonly T[]): T {
  const value = environment[name];
  if (value === undefined || !(choices as readonly string[]).includes(value)) invalid(name, `one of ${choices.join(', ')}`, value);
  return value as T;
}

/** An optional variable: undefined when unset, else `read` checks it. */
export function readOptional<T>(environment: Environment, name: string, read: (environment: Environment, name: string) => T): T | undefined {
  return environment[name] === undefined ? undefined : read(environment, name);
}

export function readFlag(environment: Environment, name: string): boolean {
  return readChoice(environment, name, ['true', 'false']) === 'true';
}

/** JSON as base64 (see bundled-json.ts), checked by `problem` (undefined: fine). */
export function readBundledJson<T>(environment: Environment, name: string, expected: string, problem: (value: unknown) => string | undefined): T {
  const value = environment[name];
  if (value === undefined || value === '') invalid(name, expected, value);
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw new Error('not base64');
    decoded = decodeBundledJson(value);
  } catch {
    return invalid(name, `${expected}, as base64-encoded JSON`, value);
  }
  const issue = problem(decoded);
  if (issue !== undefined) throw new EnvironmentError(`${name} must be ${expected}; got JSON with ${issue}`);
  return decoded as T;
}

/**
 * Powertools' own variables, for local runs and tests; a deployed function sets none of them.
 * The logger and metrics read them when the handler module loads.
 */
export interface PowertoolsOverrides {
  /** POWERTOOLS_DEV: pretty logs through the global console. */
  readonly dev?: boolean;
  /** POWERTOOLS_LOG_LEVEL. */
  readonly logLevel?: PowertoolsLogLevel;
  /** POWERTOOLS_METRICS_DISABLED: no EMF lines. */
  readonly metricsDisabled?: boolean;
}

export const POWERTOOLS_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
export type PowertoolsLogLevel = (typeof POWERTOOLS_LOG_LEVELS)[number];

/**
 * How a function names itself to Powertools: its log lines' `service`, its metrics' namespace and
 * `service` dimension (alarms select metrics by them). The handler passes the same values to its
 * logger and metrics that `toEnvironment()` writes for Powertools.
 */
export interface FunctionIdentity {
  /** POWERTOOLS_SERVICE_NAME and the logger's service. */
  readonly serviceName: string;
  /** POWERTOOLS_METRICS_NAMESPACE and the metrics' namespace. */
  readonly metricsNamespace: string;
  /** The metrics' `service` dimension. */
  readonly metricsService: string;
}

/** The CloudWatch namespace of every Lakeworks metric. */
export const METRICS_NAMESPACE = 'Lakeworks';

export function powertoolsEnvironment(identity: FunctionIdentity, overrides: PowertoolsOverrides = {}): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: identity.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: identity.metricsNamespace,
    ...(overrides.dev === undefined ? {} : { POWERTOOLS_DEV: String(overrides.dev) }),
    ...(overrides.logLevel === undefined ? {} : { POWERTOOLS_LOG_LEVEL: overrides.logLevel }),
    ...(overrides.metricsDisabled === undefined ? {} : { POWERTOOLS_METRICS_DISABLED: String(overrides.metricsDisabled) }),
  };
}

/** The overrides set, checked; undefined when none is. */
export function powertoolsOverrides(environment: Environment): PowertoolsOverrides | undefined {
  const overrides: PowertoolsOverrides = {
    ...optionalEntry('dev', readOptional(environment, 'POWERTOOLS_DEV', readFlag)),
    ...optionalEntry('logLevel', readOptional(environment, 'POWERTOOLS_LOG_LEVEL', (env, name) => readChoice(env, name, POWERTOOLS_LOG_LEVELS))),
    ...optionalEntry('metricsDisabled', readOptional(environment, 'POWERTOOLS_METRICS_DISABLED', readFlag)),
  };
  return Object.keys(overrides).length === 0 ? undefined : overrides;
}

/** `{ [key]: value }`, or nothing for undefined: settings objects carry no undefined fields. */
export function optionalEntry<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A function's variables as CDK takes them: set on the function, or compiled into its code. */
export interface FunctionEnvironment {
  readonly environment: Record<string, string>;
  readonly bundled: Record<string, string>;
}

/** Splits `toEnvironment()`'s variables into those set on the function and those bundled. */
export function splitBundled(variables: Readonly<Record<string, string>>, bundled: readonly string[]): FunctionEnvironment {
  const entries = Object.entries(variables);
  return {
    environment: Object.fromEntries(entries.filter(([name]) => !bundled.includes(name))),
    bundled: Object.fromEntries(entries.filter(([name]) => bundled.includes(name))),
  };
}

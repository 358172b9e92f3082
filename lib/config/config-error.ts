/**
 * Turning validation failures into messages a person can act on:
 * `config/lobs/finance.yaml: datasets[0].schema[5].type: expected one of ...; got "float64"`.
 */
import type { z } from 'zod';

/** One thing wrong with one config file. */
export interface ConfigProblem {
  /** The file, relative to the working directory. */
  readonly file: string;
  /** Where in the file, e.g. `datasets[0].schema[5].type`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** Thrown before any construct is built, listing every problem found in every file. */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(problem: ConfigProblem): string {
  return problem.path ? `${problem.file}: ${problem.path}: ${problem.message}` : `${problem.file}: ${problem.message}`;
}

/** `['datasets', 0, 'schema', 5, 'type']` -> `datasets[0].schema[5].type` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    return text ? `${text}.${String(key)}` : String(key);
  }, '');
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is required)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** One zod issue as problems; unknown keys become one problem per key so each path is exact. */
export function problemsFromIssue(file: string, issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        file, path: formatPath([...issue.path, key]),
        message: 'unknown key; check its spelling and placement against config/schema (docs/configuration.md)',
      }));
    case 'invalid_type': {
      // Our schemas word their own expectations ("expected a 12-digit AWS account id in quotes").
      const expected = issue.message.startsWith('expected') ? issue.message : `expected ${issue.expected}`;
      return [{ file, path, message: `${expected}; got ${describeValue(issue.input)}` }];
    }
    case 'invalid_value':
      return [{
        file, path,
        message: `expected one of ${issue.values.map((value) => String(value)).join(', ')}; got ${JSON.stringify(issue.input) ?? 'nothing (the field is required)'}`,
      }];
    case 'too_small':
      if (issue.origin === 'array') return [{ file, path, message: issue.message.startsWith('expected') ? issue.message : `expected at least ${issue.minimum} item(s)` }];
      if (issue.origin === 'string') return [{ file, path, message: `expected at least ${issue.minimum} character(s)` }];
      return [{ file, path, message: issue.message.startsWith('expected') ? issue.message : `expected at least ${issue.minimum}; got ${String(issue.input)}` }];
    case 'too_big':
      return [{ file, path, message: issue.message.startsWith('expected') ? issue.message : `expected at most ${issue.maximum}; got ${String(issue.input)}` }];
    default:
      return [{ file, path, message: issue.message }];
  }
}

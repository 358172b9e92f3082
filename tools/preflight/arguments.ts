/** Arguments of `npm run preflight`; a bad one is a usage error (exit 2), before any AWS call. */
import { parseArgs } from 'node:util';
import type { LakeConfig } from '../../lib/config/load-config';
import type { EnvironmentConfig } from '../../lib/config/platform-schema';
import { UsageError, environmentNamed } from '../cli/command-line';

export const USAGE = `usage: npm run preflight -- --env <env> [--json] [--config <dir>]

Checks, read-only, that the AWS account of an environment is ready for its first \`cdk deploy\`:
credentials, CDK bootstrap, Lake Formation admins and settings, Lambda concurrency, QuickSight,
bucket names. Uses the standard AWS credential chain. See docs/first-deploy.md.

options:
  --env <env>      environment in config/platform.yaml (required)
  --json           also print the report as JSON on stdout (the text goes to stderr)
  --config <dir>   configuration directory (default: $LAKEWORKS_CONFIG_DIR or config)
  --help           show this text

exit codes: 0 ready, 1 not ready (each problem says what to do), 2 bad arguments or configuration`;

export class PreflightUsageError extends UsageError {}

export interface PreflightArguments {
  readonly help: boolean;
  readonly env?: string;
  readonly json: boolean;
  readonly config?: string;
}

export function parsePreflightArguments(argv: readonly string[]): PreflightArguments {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: { env: { type: 'string' }, json: { type: 'boolean' }, config: { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (error) {
    throw new PreflightUsageError((error as Error).message);
  }
  const help = values.help ?? false;
  if (!help && !values.env) throw new PreflightUsageError('missing --env');
  return { help, env: values.env, json: values.json ?? false, config: values.config };
}

export function resolveEnvironment(config: LakeConfig, name: string): EnvironmentConfig {
  return environmentNamed(config, name, PreflightUsageError);
}

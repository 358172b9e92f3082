/**
 * The arguments of `npm run replay`, checked against the configuration: an environment, a line of
 * business and one of its datasets that the transform reads (batch or stream), and the days of
 * arrival to replay.
 */
import { parseArgs } from 'node:util';
import type { LakeConfig } from '../../lib/config/load-config';
import type { DatasetConfig, LobConfig } from '../../lib/config/lob-schema';
import type { EnvironmentConfig } from '../../lib/config/platform-schema';
import { UsageError, environmentNamed, lobNamed } from '../cli/command-line';

export const USAGE = `usage: npm run replay -- --env <env> --lob <lob> --dataset <dataset> [options]

Sends the transform queue an Object Created event for every current raw object of the dataset
(landing/<dataset>/ or stream/<dataset>/), as S3 would, so the deployed transform reads each one
again with the deployed config and replaces what it wrote before (docs/data-path.md, "Replaying a
dataset").

  --since <yyyy-mm-dd>  only objects that arrived on or after this day (UTC)
  --until <yyyy-mm-dd>  only objects that arrived on or before this day (UTC)
  --dry-run             list the objects, send nothing
  --config <dir>        the configuration folder (default: config, or $LAKEWORKS_CONFIG_DIR)
  --help                this text

Exit codes: 0 every event was sent (or listed), 1 an AWS call failed or an event was refused, 2 bad arguments.`;

export class ReplayUsageError extends UsageError {}

export interface ReplayArguments {
  readonly help: boolean;
  readonly env?: string;
  readonly lob?: string;
  readonly dataset?: string;
  /** First and last UTC day of arrival, inclusive. */
  readonly since?: string;
  readonly until?: string;
  readonly dryRun: boolean;
  readonly config?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(option: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (!DAY.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new ReplayUsageError(`--${option} must be a day as yyyy-mm-dd; got ${JSON.stringify(value)}`);
  }
  return value;
}

export function parseReplayArguments(argv: readonly string[]): ReplayArguments {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        env: { type: 'string' }, lob: { type: 'string' }, dataset: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' },
        'dry-run': { type: 'boolean' }, config: { type: 'string' }, help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new ReplayUsageError((error as Error).message);
  }
  const help = values.help ?? false;
  if (!help) {
    const missing = (['env', 'lob', 'dataset'] as const).filter((name) => !values[name]);
    if (missing.length > 0) throw new ReplayUsageError(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
  }
  const since = day('since', values.since);
  const until = day('until', values.until);
  if (since !== undefined && until !== undefined && since > until) throw new ReplayUsageError(`--since ${since} is after --until ${until}`);
  return { help, env: values.env, lob: values.lob, dataset: values.dataset, since, until, dryRun: values['dry-run'] ?? false, config: values.config };
}

export interface ReplayTarget {
  readonly organisation: string;
  readonly environment: EnvironmentConfig;
  readonly lob: LobConfig;
  readonly dataset: DatasetConfig;
}

/** Environment, LoB and dataset as configured; each unknown name is refused with the known ones. */
export function resolveReplayTarget(config: LakeConfig, args: Pick<ReplayArguments, 'env' | 'lob' | 'dataset'>): ReplayTarget {
  const environment = environmentNamed(config, args.env, ReplayUsageError);
  const lob = lobNamed(config, args.lob, ReplayUsageError);
  const dataset = lob.datasets.find((candidate) => candidate.name === args.dataset);
  if (!dataset) throw new ReplayUsageError(`line of business ${JSON.stringify(lob.name)} has no dataset ${JSON.stringify(args.dataset)}; datasets: ${lob.datasets.map((d) => d.name).join(', ')}`);
  return { organisation: config.platform.organisation, environment, lob, dataset };
}

/**
 * Arguments of `npm run smoke`, checked against the configuration before any AWS call: a typo in
 * an environment, LoB or persona name is a usage error (exit 2), not a failed smoke run.
 */
import { parseArgs } from 'node:util';
import type { LakeConfig } from '../../lib/config/load-config';
import type { LobConfig } from '../../lib/config/lob-schema';
import type { EnvironmentConfig } from '../../lib/config/platform-schema';
import { UsageError, environmentNamed, lobNamed } from '../cli/command-line';

export const USAGE = `usage: npm run smoke -- --env <env> --lob <lob> [options]

Proves a deployed line of business works: uploads its samples to raw, waits for the transform,
runs the curation state machine, runs the persona's named Athena queries, prints a pass/fail
table and removes what it created. Uses the standard AWS credential chain.

options:
  --env <env>                 environment in config/platform.yaml (required)
  --lob <lob>                 line of business in config/lobs/ (required)
  --persona <name>            whose Athena workgroup runs the queries (default: analyst)
  --keep                      leave the uploaded samples and their outputs in place
  --transform-timeout <min>   wait for the transform's outputs (default: 10)
  --curation-timeout <min>    wait for the curation run (default: 120)
  --query-timeout <min>       wait for each Athena query (default: 5)
  --samples <dir>             sample inputs, <dir>/<dataset>/<files> (default: samples/<lob>)
  --config <dir>              configuration directory (default: $LAKEWORKS_CONFIG_DIR or config)
  --help                      show this text`;

export const DEFAULT_PERSONA = 'analyst';

/** Bad arguments: the CLI prints the message and the usage, and exits 2. */
export class SmokeUsageError extends UsageError {}

export interface RawSmokeArguments {
  readonly help: boolean;
  readonly env?: string;
  readonly lob?: string;
  readonly persona?: string;
  readonly keep: boolean;
  readonly transformTimeoutMinutes: number;
  readonly curationTimeoutMinutes: number;
  readonly queryTimeoutMinutes: number;
  readonly samples?: string;
  readonly config?: string;
}

function minutes(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(parsed > 0)) throw new SmokeUsageError(`--${option}: expected a positive number of minutes; got ${JSON.stringify(value)}`);
  return parsed;
}

/** Parses the command line; no config is read yet, so --help works without one. */
export function parseSmokeArguments(argv: readonly string[]): RawSmokeArguments {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        env: { type: 'string' }, lob: { type: 'string' }, persona: { type: 'string' }, keep: { type: 'boolean' },
        'transform-timeout': { type: 'string' }, 'curation-timeout': { type: 'string' }, 'query-timeout': { type: 'string' },
        samples: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new SmokeUsageError((error as Error).message);
  }
  const help = values.help ?? false;
  if (!help) {
    const missing = (['env', 'lob'] as const).filter((name) => !values[name]);
    if (missing.length > 0) throw new SmokeUsageError(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
  }
  return {
    help,
    env: values.env,
    lob: values.lob,
    persona: values.persona,
    keep: values.keep ?? false,
    transformTimeoutMinutes: minutes('transform-timeout', values['transform-timeout'], 10),
    curationTimeoutMinutes: minutes('curation-timeout', values['curation-timeout'], 120),
    queryTimeoutMinutes: minutes('query-timeout', values['query-timeout'], 5),
    samples: values.samples,
    config: values.config,
  };
}

export interface ResolvedTarget {
  readonly organisation: string;
  readonly environment: EnvironmentConfig;
  readonly lob: LobConfig;
  readonly persona: string;
}

/** Environment, LoB and persona as configured; each unknown name is refused with the known ones. */
export function resolveTarget(config: LakeConfig, args: Pick<RawSmokeArguments, 'env' | 'lob' | 'persona'>): ResolvedTarget {
  const environment = environmentNamed(config, args.env, SmokeUsageError);
  const lob = lobNamed(config, args.lob, SmokeUsageError);
  const persona = args.persona ?? DEFAULT_PERSONA;
  if (!lob.personas.some((candidate) => candidate.name === persona)) {
    const known = lob.personas.length > 0 ? lob.personas.map((p) => p.name).join(', ') : 'none';
    const hint = args.persona === undefined ? '; choose the workgroup\'s persona with --persona' : '';
    throw new SmokeUsageError(`line of business ${JSON.stringify(lob.name)} has no persona ${JSON.stringify(persona)}${hint} (personas: ${known})`);
  }
  return { organisation: config.platform.organisation, environment, lob, persona };
}

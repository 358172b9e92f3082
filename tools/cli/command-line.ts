/**
 * What the operator commands (preflight, smoke, replay) share before they touch AWS: parse the
 * arguments, answer --help, load the configuration and resolve the names given against it. A bad
 * argument prints its reason and the usage and exits 2; an invalid configuration prints its errors
 * (file, field, expected) and exits 2; --help prints the usage and exits 0.
 */
import type { LakeConfig } from '../../lib/config/load-config';
import { ConfigError } from '../../lib/config/config-error';
import { loadLakeConfig } from '../../lib/config/load-config';
import type { LobConfig } from '../../lib/config/lob-schema';
import type { EnvironmentConfig } from '../../lib/config/platform-schema';

/** A command-line mistake: the message says what was wrong and what is accepted. */
export class UsageError extends Error {}

interface Output {
  write(text: string): unknown;
}

export interface CommandLine<A extends { readonly help: boolean; readonly config?: string }, T> {
  readonly usage: string;
  readonly parse: (argv: readonly string[]) => A;
  readonly resolve: (config: LakeConfig, args: A) => T;
  /** Printed before the configuration's errors. */
  readonly configErrorHeading?: string;
  readonly stdout?: Output;
  readonly stderr?: Output;
}

/** The arguments and what they name, or the exit code when the command ends here. */
export function readCommandLine<A extends { readonly help: boolean; readonly config?: string }, T>(
  argv: readonly string[], command: CommandLine<A, T>,
): { readonly args: A; readonly target: T } | { readonly exitCode: number } {
  const stdout = command.stdout ?? process.stdout;
  const stderr = command.stderr ?? process.stderr;
  try {
    const args = command.parse(argv);
    if (args.help) {
      stdout.write(`${command.usage}\n`);
      return { exitCode: 0 };
    }
    const config = loadLakeConfig(args.config ?? process.env.LAKEWORKS_CONFIG_DIR ?? 'config');
    return { args, target: command.resolve(config, args) };
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`${error.message}\n${command.usage}\n`);
      return { exitCode: 2 };
    }
    if (error instanceof ConfigError) {
      stderr.write(`${command.configErrorHeading ?? ''}${error.message}\n`);
      return { exitCode: 2 };
    }
    throw error;
  }
}

/** The configured environment of that name; `UsageErrorOf` names the command's own error class. */
export function environmentNamed(config: LakeConfig, name: string | undefined, UsageErrorOf: new (message: string) => UsageError): EnvironmentConfig {
  const environment = config.platform.environments.find((candidate) => candidate.name === name);
  if (!environment) throw new UsageErrorOf(`unknown environment ${JSON.stringify(name)}; configured: ${config.platform.environments.map((e) => e.name).join(', ')}`);
  return environment;
}

/** The configured line of business of that name. */
export function lobNamed(config: LakeConfig, name: string | undefined, UsageErrorOf: new (message: string) => UsageError): LobConfig {
  const lob = config.lobs.find((candidate) => candidate.name === name);
  if (!lob) throw new UsageErrorOf(`unknown line of business ${JSON.stringify(name)}; configured: ${config.lobs.map((l) => l.name).join(', ')}`);
  return lob;
}

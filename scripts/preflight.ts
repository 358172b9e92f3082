/**
 * `npm run preflight -- --env <env>`: a read-only check of an environment's AWS account before its
 * first `cdk deploy` (tools/preflight/, docs/first-deploy.md). Credentials come from the standard
 * AWS SDK chain; regions from config/platform.yaml.
 *
 * Exit codes: 0 ready, 1 not ready (each problem listed with what to do), 2 bad arguments or
 * configuration (the config error is printed), or an app that does not synthesize.
 */
import type { LakeConfig } from '../lib/config/load-config';
import { readCommandLine } from '../tools/cli/command-line';
import type { EnvironmentConfig } from '../lib/config/platform-schema';
import { type AppFacts, synthesizeAppFacts } from '../tools/preflight/app-facts';
import { USAGE, parsePreflightArguments, resolveEnvironment } from '../tools/preflight/arguments';
import { createClients, destroyClients } from '../tools/preflight/clients';
import { formatReport, reportJson } from '../tools/preflight/report';
import { runPreflight } from '../tools/preflight/run-preflight';
import type { PreflightClients } from '../tools/preflight/types';

interface Output {
  write(text: string): unknown;
}

/** What the CLI talks to; tests replace the AWS clients and the synthesis. */
export interface PreflightDependencies {
  readonly createClients?: (environment: EnvironmentConfig) => PreflightClients;
  readonly appFacts?: (config: LakeConfig, environment: EnvironmentConfig) => AppFacts;
  readonly stdout?: Output;
  readonly stderr?: Output;
}

export async function main(argv: readonly string[], dependencies: PreflightDependencies = {}): Promise<number> {
  const stdout = dependencies.stdout ?? process.stdout;
  const stderr = dependencies.stderr ?? process.stderr;
  const commandLine = readCommandLine(argv, {
    usage: USAGE, parse: parsePreflightArguments, configErrorHeading: 'Invalid Lakeworks configuration:\n', stdout, stderr,
    resolve: (loaded, args) => ({ config: loaded, environment: resolveEnvironment(loaded, args.env!) }),
  });
  if ('exitCode' in commandLine) return commandLine.exitCode;
  const { args, target: { config, environment } } = commandLine;

  let app;
  try {
    app = (dependencies.appFacts ?? synthesizeAppFacts)(config, environment);
  } catch (error) {
    stderr.write(`The app does not synthesize for environment ${environment.name}, so preflight cannot tell what it would deploy:\n`
      + `${error instanceof Error ? error.message : String(error)}\nRun \`npx cdk synth\` to see the full error.\n`);
    return 2;
  }

  const clients = (dependencies.createClients ?? createClients)(environment);
  try {
    const report = await runPreflight(clients, { config, environment, app });
    if (args.json) {
      stderr.write(`${formatReport(report)}\n`);
      stdout.write(`${reportJson(report)}\n`);
    } else {
      stdout.write(`${formatReport(report)}\n`);
    }
    return report.ready ? 0 : 1;
  } finally {
    destroyClients(clients);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}

/**
 * `npm run preflight -- --env <env>`: a read-only check of an environment's AWS account before its
 * first `cdk deploy` (tools/preflight/, docs/first-deploy.md). Credentials come from the standard
 * AWS SDK chain; regions from config/platform.yaml.
 *
 * Exit codes: 0 ready, 1 not ready (each problem listed with what to do), 2 bad arguments or
 * configuration (the config error is printed), or an app that does not synthesize.
 */
import type { LakeConfig } from '../lib/config/load-config';
import { ConfigError } from '../lib/config/config-error';
import { loadLakeConfig } from '../lib/config/load-config';
import type { EnvironmentConfig } from '../lib/config/platform-schema';
import { type AppFacts, synthesizeAppFacts } from '../tools/preflight/app-facts';
import { PreflightUsageError, USAGE, parsePreflightArguments, resolveEnvironment } from '../tools/preflight/arguments';
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
  let args;
  let config;
  let environment;
  try {
    args = parsePreflightArguments(argv);
    if (args.help) {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    config = loadLakeConfig(args.config ?? process.env.LAKEWORKS_CONFIG_DIR ?? 'config');
    environment = resolveEnvironment(config, args.env!);
  } catch (error) {
    if (error instanceof PreflightUsageError) {
      stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      stderr.write(`Invalid Lakeworks configuration:\n${error.message}\n`);
      return 2;
    }
    throw error;
  }

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

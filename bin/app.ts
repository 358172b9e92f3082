#!/usr/bin/env node
/**
 * The CDK app: `npx cdk synth` runs this through tsx (see cdk.json).
 * Config is validated before any construct is built; a bad file stops here with every problem
 * listed. The security baseline runs during synth and stops it on any unacknowledged finding.
 */
import { ConfigError } from '../lib/config/config-error';
import { loadLakeConfig } from '../lib/config/load-config';
import { createLakeworksApp } from '../lib/lakeworks-app';

function fail(title: string, detail: string): never {
  process.stderr.write(`${title}\n${detail}\n`);
  process.exit(1);
}

function main(): void {
  let config;
  try {
    config = loadLakeConfig(process.env.LAKEWORKS_CONFIG_DIR);
  } catch (error) {
    if (error instanceof ConfigError) fail('Invalid Lakeworks configuration:', error.message);
    throw error;
  }
  const { app } = createLakeworksApp(config);
  try {
    app.synth();
  } catch (error) {
    // The findings themselves are already on stderr, one block per violation.
    fail('Synth stopped by the security baseline (see docs/security.md, "The security baseline").', error instanceof Error ? error.message : String(error));
  }
}

main();

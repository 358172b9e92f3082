/**
 * Builds and synthesizes the app from the sample config, once per test file, exactly as bin/app.ts
 * does. Synthesizing the App (not a single Stage) is what runs the security baseline, so any
 * finding fails whichever test asked for the app first.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AppProps, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type LakeConfig, loadLakeConfig } from '../../lib/config/load-config';
import { type LakeworksApp, createLakeworksApp } from '../../lib/lakeworks-app';
import type { LobStacks } from '../../lib/stages/data-lake-stage';

export const SAMPLE_CONFIG_DIR = path.join(__dirname, '..', '..', 'config');

export function sampleConfig(): LakeConfig {
  return loadLakeConfig(SAMPLE_CONFIG_DIR);
}

/**
 * App props as the CDK CLI would give them: cdk.json's feature flags as context (they change what
 * is synthesized, e.g. partition literals), a fresh output directory, and no analytics metadata
 * (it encodes library versions: noise in snapshots).
 */
export function testAppProps(): AppProps & { outdir: string } {
  const { context } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  return { context, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-test-')), analyticsReporting: false };
}

/** A synthesized app from `config` in a fresh temporary cloud assembly directory. */
export function synthesizedApp(config: LakeConfig = sampleConfig()): LakeworksApp & { outdir: string } {
  const props = testAppProps();
  const outdir = props.outdir;
  const lakeworks = createLakeworksApp(config, props);
  lakeworks.app.synth();
  return { ...lakeworks, outdir };
}

let cached: ReturnType<typeof synthesizedApp> | undefined;
/** The sample app, synthesized once per test file. */
export function sampleApp(): ReturnType<typeof synthesizedApp> {
  cached ??= synthesizedApp();
  return cached;
}

export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}

/**
 * One case per environment x LoB of the sample app, with the config each came from, so stack tests
 * iterate over whatever is configured instead of hard-coding it.
 */
export function lobStackCases<S extends Stack | undefined>(select: (stacks: LobStacks) => S) {
  const config = sampleConfig();
  return sampleApp().stages.flatMap((stage) => [...stage.lobStacks.entries()].map(([lob, stacks]) => {
    const environment = stage.stageName;
    const envConfig = config.platform.environments.find((e) => e.name === environment)!;
    return {
      lob, environment, stage, stacks, stack: select(stacks), envConfig,
      lobConfig: config.lobs.find((l) => l.name === lob)!,
      names: { organisation: config.platform.organisation, environment, account: envConfig.account, region: envConfig.region },
    };
  }));
}

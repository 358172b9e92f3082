/**
 * Builds the whole Lakeworks app from validated config: one DataLakeStage per environment, in
 * config order, and the delivery pipeline that deploys them when config enables it, all under the
 * security baseline. bin/app.ts, the tests and the benchmarks all build
 * the app through here, so what is tested is what is deployed.
 */
import { App, type AppProps } from 'aws-cdk-lib';
import { BASELINE_CONTEXT, applySecurityBaseline } from './compliance/security-baseline';
import type { LakeConfig } from './config/load-config';
import { PipelineStack } from './stacks/pipeline-stack';
import { pipelineName } from './config/names';
import { DataLakeStage } from './stages/data-lake-stage';

export interface LakeworksApp {
  readonly app: App;
  readonly stages: readonly DataLakeStage[];
  /** Present when `pipeline.enabled` in platform.yaml. */
  readonly pipeline?: PipelineStack;
}

export function createLakeworksApp(config: LakeConfig, appProps: AppProps = {}): LakeworksApp {
  const app = new App({
    ...appProps,
    // Set after CLI context so that no command line can switch the baseline off.
    postCliContext: { ...appProps.postCliContext, ...BASELINE_CONTEXT },
  });
  applySecurityBaseline(app);
  const stages = config.platform.environments.map((environment) => new DataLakeStage(app, environment.name, {
    platform: config.platform,
    environment,
    lobs: config.lobs,
  }));
  // Building the pipeline synthesizes the stages it deploys: change stacks in their classes, not
  // after this function returns (CDK then refuses to synthesize).
  const settings = config.platform.pipeline;
  const pipeline = settings?.enabled
    ? new PipelineStack(app, 'pipeline', {
      stackName: pipelineName(config.platform.organisation),
      description: `Lakeworks delivery pipeline: ${settings.repository}@${settings.branch} to ${stages.map((stage) => stage.stageName).join(', ')}`,
      env: { account: settings.account, region: settings.region },
      organisation: config.platform.organisation,
      pipeline: settings,
      stages,
      terminationProtection: true,
    })
    : undefined;
  return { app, stages, pipeline };
}

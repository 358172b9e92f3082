/**
 * Builds the whole Lakeworks app from validated config: one DataLakeStage per environment, in
 * config order, under the security baseline. bin/app.ts, the tests and the benchmarks all build
 * the app through here, so what is tested is what is deployed.
 */
import { App, type AppProps } from 'aws-cdk-lib';
import { BASELINE_CONTEXT, applySecurityBaseline } from './compliance/security-baseline';
import type { LakeConfig } from './config/load-config';
import { DataLakeStage } from './stages/data-lake-stage';

export interface LakeworksApp {
  readonly app: App;
  readonly stages: readonly DataLakeStage[];
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
  return { app, stages };
}

/**
 * Checks of dataset sources against the platform's environments: a source's per-environment
 * settings must name a declared environment, and its secret must live in that environment's
 * account and region (a role cannot be granted a secret of another account by this app).
 */
import type { ConfigProblem } from './config-error';
import { SECRET_ARN } from './database-source-schema';
import type { LobConfig } from './lob-schema';
import type { PlatformConfig } from './platform-schema';

export function sourceEnvironmentProblems(platform: PlatformConfig, lobs: readonly LobConfig[], lobFileByName: ReadonlyMap<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const environments = new Map(platform.environments.map((environment) => [environment.name, environment]));
  for (const lob of lobs) {
    const file = lobFileByName.get(lob.name) ?? lob.name;
    lob.datasets.forEach((dataset, index) => {
      const deployments: Array<[string, string, { secretArn: string; network?: { availabilityZone: string } }]> = [
        ...Object.entries(dataset.source?.database?.environments ?? {}).map(([name, deployment]) => ['database', name, deployment] as [string, string, typeof deployment]),
        ...Object.entries(dataset.source?.api?.environments ?? {}).map(([name, deployment]) => ['api', name, deployment] as [string, string, typeof deployment]),
      ];
      for (const [kind, name, deployment] of deployments) {
        const path = `datasets[${index}].source.${kind}.environments.${name}`;
        const environment = environments.get(name);
        if (!environment) {
          problems.push({ file, path, message: `expected one of the environments of platform.yaml (${[...environments.keys()].join(', ')}); got ${JSON.stringify(name)}` });
          continue;
        }
        const [, , region, account] = SECRET_ARN.exec(deployment.secretArn) ?? [];
        if (account !== environment.account || region !== environment.region) {
          problems.push({
            file, path: `${path}.secretArn`,
            message: `expected a secret in environment ${name}'s account ${environment.account} and region ${environment.region}; got one in account ${account} and region ${region}`,
          });
        }
        if (deployment.network && !deployment.network.availabilityZone.startsWith(environment.region)) {
          problems.push({
            file, path: `${path}.network.availabilityZone`,
            message: `expected an availability zone of environment ${name}'s region ${environment.region}; got ${JSON.stringify(deployment.network.availabilityZone)}`,
          });
        }
      }
    });
  }
  return problems;
}

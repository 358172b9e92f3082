/**
 * Everything one environment deploys: the account-level PlatformStack (when this environment owns
 * its account and region) and, per line of business, that LoB's stacks. Construct paths are
 * `<env>/<lob>-<concern>`, so `cdk deploy 'dev/**'` deploys one environment and
 * `cdk deploy 'dev/finance-*'` one LoB.
 */
import { createHash } from 'node:crypto';
import { CfnWaitConditionHandle, Stack, Stage, type StageProps, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { LobConfig } from '../config/lob-schema';
import { type NameScope, lobStackName, platformStackName } from '../config/names';
import type { EnvironmentConfig, PlatformConfig } from '../config/platform-schema';
import { PlatformStack } from '../stacks/platform-stack';
import { StorageStack } from '../stacks/storage-stack';
import { AnalyticsStack } from '../stacks/analytics-stack';
import { CatalogStack } from '../stacks/catalog-stack';
import { CurationStack } from '../stacks/curation-stack';
import { DashboardStack, spiceDataSetIds } from '../stacks/dashboard-stack';
import { GovernanceStack } from '../stacks/governance-stack';
import { hasApiPulls, warnUndeployedApiSources } from '../ingest/api-pull';
import { IngestStack } from '../stacks/ingest-stack';
import { TransformStack } from '../stacks/transform-stack';

export interface DataLakeStageProps extends StageProps {
  readonly platform: PlatformConfig;
  readonly environment: EnvironmentConfig;
  readonly lobs: readonly LobConfig[];
}

/** The stacks of one line of business in this stage. */
export interface LobStacks {
  readonly storage: StorageStack;
  readonly catalog: CatalogStack;
  readonly governance: GovernanceStack;
  readonly transform: TransformStack;
  readonly analytics: AnalyticsStack;
  readonly curation: CurationStack;
  /** Only for LoBs with `dashboard.enabled`. */
  readonly dashboard?: DashboardStack;
  /** Only for LoBs with stream datasets. */
  readonly ingest?: IngestStack;
}

export class DataLakeStage extends Stage {
  /** The environment this stage deploys. */
  public readonly environment: EnvironmentConfig;
  /** Undefined when an earlier environment in the same account and region owns it. */
  public readonly platformStack?: PlatformStack;
  public readonly lobStacks: ReadonlyMap<string, LobStacks>;

  constructor(scope: Construct, id: string, props: DataLakeStageProps) {
    super(scope, id, { ...props, env: { account: props.environment.account, region: props.environment.region } });
    const { platform, environment } = props;
    this.environment = environment;
    const names: NameScope = { organisation: platform.organisation, environment: environment.name, account: environment.account, region: environment.region };

    if (ownsAccountRegion(platform, environment)) {
      const sharing = platform.environments.filter((other) => other.account === environment.account && other.region === environment.region);
      this.platformStack = new PlatformStack(this, 'platform', {
        stackName: platformStackName(platform.organisation),
        description: `Lakeworks account-level resources for ${platform.organisation} in ${environment.account}/${environment.region}`,
        organisation: platform.organisation,
        accountSettings: environment.accountSettings,
        environments: sharing.map((other) => other.name),
        lobs: props.lobs.map((lob) => lob.name),
        terminationProtection: platformTerminationProtection(platform, environment),
      });
      Tags.of(this.platformStack).add('lob', 'platform');
      Tags.of(this.platformStack).add('environment', sharing.map((other) => other.name).join('+'));
      Tags.of(this.platformStack).add('cost-center', platform.costCenter);
    }

    const lobStacks = new Map<string, LobStacks>();
    for (const lob of props.lobs) {
      const storage = new StorageStack(this, `${lob.name}-storage`, {
        stackName: lobStackName(names, lob.name, 'storage'),
        description: `Lakeworks ${lob.name} storage layers (${environment.name})`,
        names,
        lob,
        allowDataDestruction: environment.allowDataDestruction,
        terminationProtection: !environment.allowDataDestruction,
      });
      // Buckets log to the platform's access-log bucket, which must exist first.
      if (this.platformStack) storage.addStackDependency(this.platformStack, 'access logs are delivered to the platform log bucket');
      const catalog = new CatalogStack(this, `${lob.name}-catalog`, {
        stackName: lobStackName(names, lob.name, 'catalog'),
        description: `Lakeworks ${lob.name} Glue databases, tables, crawlers and security configurations (${environment.name})`,
        names,
        lob,
        storage,
      });
      const governance = new GovernanceStack(this, `${lob.name}-governance`, {
        stackName: lobStackName(names, lob.name, 'governance'),
        description: `Lakeworks ${lob.name} Lake Formation registrations, LF-tags, personas and grants (${environment.name})`,
        names,
        lob,
        storage,
      });
      // Databases and tables must exist before they are tagged and granted on.
      governance.addStackDependency(catalog, 'tags and grants apply to the catalog\'s databases and tables');
      if (this.platformStack) {
        governance.addStackDependency(this.platformStack, 'Lake Formation settings and LF-tag definitions come first');
      }
      const transform = new TransformStack(this, `${lob.name}-transform`, {
        stackName: lobStackName(names, lob.name, 'transform'),
        description: `Lakeworks ${lob.name} raw-to-standardized transform (${environment.name})`,
        names,
        lob,
        storage,
        allowDataDestruction: environment.allowDataDestruction,
      });
      const ingest = lob.datasets.some((dataset) => dataset.ingest === 'stream' || dataset.source?.database) || hasApiPulls(lob, environment.name)
        ? new IngestStack(this, `${lob.name}-ingest`, {
          stackName: lobStackName(names, lob.name, 'ingest'),
          description: `Lakeworks ${lob.name} ingest: Firehose streams and scheduled API and database pulls (${environment.name})`,
          names,
          lob,
          storage,
          alertsTopic: transform.operations.alertsTopicByName,
          alertsKey: transform.operations.key,
          allowDataDestruction: environment.allowDataDestruction,
        })
        : undefined;
      // The topic is named, not referenced (no stale cross-stack value): order the stacks explicitly.
      ingest?.addStackDependency(transform, 'alarms publish to the LoB\'s alerts topic');
      warnUndeployedApiSources(ingest ?? transform, lob, environment.name);
      const analytics = new AnalyticsStack(this, `${lob.name}-analytics`, {
        stackName: lobStackName(names, lob.name, 'analytics'),
        description: `Lakeworks ${lob.name} Athena workgroups and named queries (${environment.name})`,
        names,
        lob,
        storage,
        allowDataDestruction: environment.allowDataDestruction,
      });
      // The persona roles it attaches policies to are created by the governance stack.
      analytics.addStackDependency(governance, 'persona roles come from the governance stack');
      const quickSight = lob.dashboard.enabled ? environment.quickSight : undefined;
      const curation = new CurationStack(this, `${lob.name}-curation`, {
        stackName: lobStackName(names, lob.name, 'curation'),
        description: `Lakeworks ${lob.name} curated Iceberg layers on Glue (${environment.name})`,
        names,
        lob,
        storage,
        catalog,
        alertsTopic: transform.operations.alertsTopicByName,
        alertsKey: transform.operations.key,
        allowDataDestruction: environment.allowDataDestruction,
        // Ids, not references: the dashboard stack may deploy after this one, and a curation run
        // before it exists fails its ingestion step with an alert rather than the deploy.
        quickSightDataSetIds: quickSight ? spiceDataSetIds(names, lob) : [],
      });
      // Jobs run on the catalog's security configurations and tables, with the governance grants.
      curation.addStackDependency(catalog, 'jobs use the catalog\'s security configurations');
      curation.addStackDependency(governance, 'jobs need their Lake Formation grants');
      curation.addStackDependency(transform, 'failures and alarms publish to the LoB\'s alerts topic');
      let dashboard: DashboardStack | undefined;
      if (quickSight) {
        dashboard = new DashboardStack(this, `${lob.name}-dashboard`, {
          stackName: lobStackName(names, lob.name, 'dashboard'),
          description: `Lakeworks ${lob.name} QuickSight data source, datasets and dashboard (${environment.name})`,
          names,
          lob,
          quickSight,
        });
        // QuickSight queries through the persona's workgroup and role.
        dashboard.addStackDependency(analytics, 'the data source uses the persona workgroup');
      }
      for (const stack of [storage, catalog, governance, transform, analytics, curation, ...(ingest ? [ingest] : []), ...(dashboard ? [dashboard] : [])]) {
        Tags.of(stack).add('lob', lob.name);
        Tags.of(stack).add('environment', environment.name);
        Tags.of(stack).add('cost-center', lob.costCenter);
        Tags.of(stack).add('owner', lob.owner);
      }
      lobStacks.set(lob.name, { storage, catalog, governance, transform, analytics, curation, ingest, dashboard });
    }
    this.lobStacks = lobStacks;
    refreshCrossStackReferences(this);
  }
}

/**
 * A platform stack shared by several environments is protected as long as any of them keeps its
 * data: deleting it with the environment that owns it would take the access-log bucket, the Lake
 * Formation settings and the LF-tags every other environment sharing it depends on.
 */
export function platformTerminationProtection(platform: PlatformConfig, environment: EnvironmentConfig): boolean {
  return platform.environments
    .filter((other) => other.account === environment.account && other.region === environment.region)
    .some((other) => !other.allowDataDestruction);
}

/**
 * Context key that forces every stack of the stage to update: `-c lakeworks:refresh=<any new value>`.
 * CloudFormation resolves `Fn::GetStackOutput` only when a stack is created or updated, and skips
 * an update whose template did not change, so a consumer keeps a producer's old output until its
 * own template changes. The value becomes a no-op resource (AWS::CloudFormation::WaitConditionHandle)
 * whose logical id changes with it; see docs/operations.md, "Refreshing cross-stack values".
 */
export const REFRESH_CONTEXT = 'lakeworks:refresh';

function refreshCrossStackReferences(stage: Stage): void {
  const value = stage.node.tryGetContext(REFRESH_CONTEXT);
  if (value === undefined || value === '') return;
  const id = `CrossStackRefresh${createHash('sha256').update(String(value)).digest('hex').slice(0, 12)}`;
  for (const stack of stage.node.children.filter((child): child is Stack => Stack.isStack(child))) {
    new CfnWaitConditionHandle(stack, id);
  }
}

/** The first environment in config order that uses an account and region deploys its PlatformStack. */
export function ownsAccountRegion(platform: PlatformConfig, environment: EnvironmentConfig): boolean {
  const owner = platform.environments.find((other) => other.account === environment.account && other.region === environment.region);
  return owner?.name === environment.name;
}

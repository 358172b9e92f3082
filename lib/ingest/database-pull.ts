/**
 * The scheduled pull of one dataset from a database (`source.database` in the LoB file): a Glue
 * NETWORK connection in the configured subnet, a Glue job running
 * `glue-scripts/jobs/pull_database.py` through it on the Glue version the curation jobs declare
 * (whose runtime ships the PostgreSQL, MySQL, SQL Server and Oracle JDBC drivers), a scheduled
 * trigger, and an alert when a run fails or times out.
 *
 * The job's role may write only `landing/<dataset>/` and its high-water mark
 * `state/database/<dataset>.json` in raw, read only the one configured secret, and use only its
 * connection. The raw security configuration encrypts what it writes and its logs with the raw key.
 */
import * as path from 'node:path';
import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { rawPrefix } from '../../contract/raw-layout';
import { acknowledgeRule, acknowledgeWildcardResources } from '../compliance/security-baseline';
import { type DatabaseDeployment, type DatabaseSourceConfig, durationSeconds } from '../config/database-source-schema';
import { DATASET_ROLE_PURPOSES } from '../config/dataset-roles';
import type { DatasetConfig, LobConfig } from '../config/lob-schema';
import { type NameScope, dataBucketName, datasetResourceName, datasetRoleName, glueSecurityConfigurationName } from '../config/names';
import { alertWhen } from '../constructs/alert-alarm';
import {
  KMS_ACTIONS, anyKeyArn, bucketArn, glueCatalogArn, glueConnectionArn, keyStatement, listBucket, logGroupArn, logsCreateEncrypted,
  networkInterfacesArn, objectStatement, publishEncrypted, readSecret,
} from '../permissions';
import { GLUE_VERSION } from '../stacks/curation-stack';

const GLUE_SCRIPTS = path.join(__dirname, '..', '..', 'glue-scripts');

/** Arguments `pull_database.py` reads (without the leading `--`); see its docstring. */
export const PULL_DATABASE_ARGUMENTS = ['source_spec', 'secret_id', 'raw_location', 'state_location'] as const;

/** The version of the spec `lakeworks_ingest.database_pull.DatabaseSource.parse` reads. */
export const SOURCE_SPEC_VERSION = 1;

/** Where a dataset's high-water mark is kept in the raw bucket. */
export function pullStateKey(dataset: string): string {
  return `state/database/${dataset}.json`;
}

/** One pull reads a bounded range; two workers is Glue's minimum for a Spark job. */
export const PULL_WORKER_TYPE = 'G.1X';
export const PULL_WORKERS = 2;
export const PULL_TIMEOUT_MINUTES = 60;

/** The job's `--source_spec`: the source as the Python side parses it. */
export function sourceSpec(dataset: string, source: DatabaseSourceConfig): Record<string, unknown> {
  const { column, kind, lookback } = source.watermark;
  return {
    version: SOURCE_SPEC_VERSION,
    dataset,
    jdbcUrl: source.jdbcUrl,
    ...(source.table !== undefined ? { table: source.table } : { query: source.query }),
    incremental: {
      column, kind,
      ...(kind === 'timestamp' ? { lookbackSeconds: typeof lookback === 'string' ? durationSeconds(lookback) ?? 0 : 0 } : { lookbackValues: typeof lookback === 'number' ? lookback : 0 }),
    },
    partitions: source.partitions,
    fetchSize: source.fetchSize,
  };
}

export interface DatabasePullProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  readonly dataset: DatasetConfig;
  readonly source: DatabaseSourceConfig;
  readonly deployment: DatabaseDeployment;
  readonly rawKey: IKey;
  readonly alertsTopic: sns.ITopic;
  readonly alertsKey: IKey;
}

export class DatabasePull extends Construct {
  public readonly job: glue.CfnJob;
  public readonly connection: glue.CfnConnection;
  public readonly trigger: glue.CfnTrigger;

  constructor(scope: Construct, id: string, props: DatabasePullProps) {
    super(scope, id);
    const { names, lob, dataset, source, deployment } = props;
    const stack = Stack.of(this);
    const jobName = datasetResourceName(names, lob.name, dataset.name, 'pull');
    const rawBucketName = dataBucketName(names, lob.name, 'raw');
    const rawBucket = bucketArn(stack, rawBucketName);

    this.connection = new glue.CfnConnection(this, 'Connection', {
      catalogId: stack.account,
      connectionInput: {
        name: jobName,
        description: `Network path of the ${dataset.name} pull to its database (${names.environment})`,
        connectionType: 'NETWORK',
        physicalConnectionRequirements: {
          subnetId: deployment.network.subnetId,
          securityGroupIdList: [...deployment.network.securityGroupIds],
          availabilityZone: deployment.network.availabilityZone,
        },
      },
    });

    const script = new s3assets.Asset(this, 'Script', { path: path.join(GLUE_SCRIPTS, 'jobs', 'pull_database.py') });
    // The entry point imports lakeworks_ingest (and lakeworks_curation's storage helpers) from this zip.
    const pythonPackage = new s3assets.Asset(this, 'Package', { path: path.join(GLUE_SCRIPTS, 'src'), exclude: ['**/__pycache__/**'] });

    const landing = `${rawBucket}/${rawPrefix(dataset.name, 'batch')}*`;
    const state = `${rawBucket}/${pullStateKey(dataset.name)}`;
    const logGroups = logGroupArn(stack, '/aws-glue/*');
    const anyKey = anyKeyArn(stack);
    const networkInterfaces = networkInterfacesArn(stack);
    const assetObjects = [...new Set([script, pythonPackage].map((asset) => `${bucketArn(stack, asset.s3BucketName)}/*`))];
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Least privilege for the ${dataset.name} database pull (${names.environment})`,
      statements: [
        listBucket('ListLanding', [rawBucket], { prefixes: [rawPrefix(dataset.name, 'batch'), pullStateKey(dataset.name)] }),
        // Spark overwrites the folder of the range it writes, so it deletes what a stopped run left there.
        objectStatement('WriteLanding', 'readWriteDeleteUpload', [landing]),
        objectStatement('KeepHighWaterMark', 'readWrite', [state]),
        keyStatement('EncryptWithRawKey', KMS_ACTIONS.readWrite, [props.rawKey.keyArn]),
        ...readSecret({ sid: 'ReadDatabaseSecret', secret: deployment.secretArn, keySid: 'DecryptDatabaseSecret', anyKey, region: stack.region }),
        new iam.PolicyStatement({ sid: 'UseConnection', actions: ['glue:GetConnection'], resources: [glueCatalogArn(stack), glueConnectionArn(stack, jobName)] }),
        // Glue attaches a network interface in the connection's subnet for the run; EC2 authorizes
        // describing and creating interfaces on no narrower resource than these.
        new iam.PolicyStatement({
          sid: 'AttachToSubnet',
          actions: ['ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeRouteTables', 'ec2:DescribeVpcAttribute',
            'ec2:DescribeNetworkInterfaces', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'TagNetworkInterfaces', actions: ['ec2:CreateTags', 'ec2:DeleteTags'], resources: [networkInterfaces],
          conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['aws-glue-service-resource'] } },
        }),
        logsCreateEncrypted('WriteJobLogs', [logGroups]),
        new iam.PolicyStatement({ sid: 'PublishJobMetrics', actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } } }),
        objectStatement('ReadScripts', 'read', assetObjects),
      ],
    });
    acknowledgeWildcardResources(policy, [landing], 'Objects under the dataset\'s landing/ prefix; Spark names the files of each range.');
    acknowledgeWildcardResources(policy, [anyKey], 'The secret\'s key is not known at synth; the conditions allow decryption only through Secrets Manager and only of the configured secret.');
    acknowledgeWildcardResources(policy, ['*'], 'EC2 describe and network-interface actions for a Glue connection, and cloudwatch:PutMetricData (limited to the Glue namespace), support no narrower resources.');
    acknowledgeWildcardResources(policy, [networkInterfaces], 'Glue names the interfaces it creates; only its own tag may be set.');
    acknowledgeWildcardResources(policy, [logGroups], 'Glue names job log groups and streams itself under /aws-glue/.');
    acknowledgeWildcardResources(policy, assetObjects, 'The Glue script and package CDK uploads to the bootstrap assets bucket, under content-hash names.');
    const role = new iam.Role(this, 'Role', {
      roleName: datasetRoleName(names, lob.name, dataset.name, DATASET_ROLE_PURPOSES.databasePull),
      description: `Runs the ${dataset.name} database pull (${names.environment})`,
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      managedPolicies: [policy],
    });

    this.job = new glue.CfnJob(this, 'Job', {
      name: jobName,
      description: `Pulls ${dataset.name} from ${source.jdbcUrl.split('?')[0]} into raw ${rawPrefix(dataset.name, 'batch')}`,
      role: role.roleArn,
      glueVersion: GLUE_VERSION,
      command: { name: 'glueetl', pythonVersion: '3', scriptLocation: script.s3ObjectUrl },
      workerType: PULL_WORKER_TYPE,
      numberOfWorkers: PULL_WORKERS,
      timeout: PULL_TIMEOUT_MINUTES,
      // A failed run leaves its range pending; the next scheduled run resumes it exactly.
      maxRetries: 0,
      executionProperty: { maxConcurrentRuns: 1 },
      connections: { connections: [jobName] },
      securityConfiguration: glueSecurityConfigurationName(names, lob.name, 'raw'),
      defaultArguments: {
        // The job keeps its own high-water mark; bookmarks would be a second, diverging record.
        '--job-bookmark-option': 'job-bookmark-disable',
        '--enable-continuous-cloudwatch-log': 'true',
        '--enable-metrics': 'true',
        '--extra-py-files': pythonPackage.s3ObjectUrl,
        '--source_spec': JSON.stringify(sourceSpec(dataset.name, source)),
        '--secret_id': deployment.secretArn,
        '--raw_location': `s3://${rawBucketName}/`,
        '--state_location': `s3://${rawBucketName}/${pullStateKey(dataset.name)}`,
      },
    });
    this.job.addDependency(this.connection);
    for (const rule of ['GL1', 'GL3']) {
      acknowledgeRule(this.job, ['AwsSolutions'], rule,
        `The job runs with ${glueSecurityConfigurationName(names, lob.name, 'raw')} (CatalogStack), which encrypts its CloudWatch logs and bookmarks with the raw key; cdk-nag cannot follow the name across stacks.`);
    }

    this.trigger = new glue.CfnTrigger(this, 'Schedule', {
      name: jobName,
      description: `Starts the ${dataset.name} database pull (${source.schedule})`,
      type: 'SCHEDULED',
      schedule: source.schedule,
      startOnCreation: true,
      actions: [{ jobName }],
    });
    this.trigger.addDependency(this.job);
    this.alertOnFailure(names, lob, dataset, jobName, props.alertsTopic, props.alertsKey);
  }

  /** A failed or timed-out run is published to the alerts topic, through a role of its own. */
  private alertOnFailure(names: NameScope, lob: LobConfig, dataset: DatasetConfig, jobName: string, alerts: sns.ITopic, alertsKey: IKey): void {
    const ruleName = datasetResourceName(names, lob.name, dataset.name, 'pull-failed');
    const role = new iam.Role(this, 'AlertRole', {
      roleName: datasetRoleName(names, lob.name, dataset.name, DATASET_ROLE_PURPOSES.databasePullAlerts),
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
      managedPolicies: [new iam.ManagedPolicy(this, 'AlertPolicy', {
        description: `Publishes failed ${dataset.name} pulls to the alerts topic (${names.environment})`,
        statements: [
          ...publishEncrypted({ sid: 'Alert', topic: alerts.topicArn, keySid: 'EncryptAlerts', key: alertsKey.keyArn }),
        ],
      })],
    });
    const rule = new events.Rule(this, 'Failed', {
      ruleName,
      description: `Alerts when the ${dataset.name} database pull fails, times out or errs`,
      eventPattern: { source: ['aws.glue'], detailType: ['Glue Job State Change'], detail: { jobName: [jobName], state: ['FAILED', 'TIMEOUT', 'ERROR'] } },
      targets: [new targets.SnsTopic(alerts, {
        role: role.withoutPolicyUpdates(),
        message: events.RuleTargetInput.fromText(`Lakeworks ${lob.name} (${names.environment}): database pull run ${events.EventField.fromPath('$.detail.jobRunId')} `
          + `of ${jobName} ended ${events.EventField.fromPath('$.detail.state')}: ${events.EventField.fromPath('$.detail.message')}. The next run resumes its range.`),
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      })],
    });
    acknowledgeRule(rule, ['Serverless'], 'EventBusDLQ',
      'A failure notice EventBridge cannot deliver within a day of retries raises the alert-failed alarm; the failed run stays in the job\'s Glue run history.');
    alertWhen(this, 'AlertFailedAlarm', new cloudwatch.Metric({
      namespace: 'AWS/Events', metricName: 'FailedInvocations', dimensionsMap: { RuleName: ruleName }, period: Duration.minutes(5), statistic: 'Sum',
    }), 1, `A failed ${dataset.name} database pull could not be announced; see the job's run history.`, alerts);
  }
}

/** The datasets of a LoB with a database source, and their settings in one environment (if any). */
export function databaseSources(lob: LobConfig, environment: string) {
  return lob.datasets.flatMap((dataset) => {
    const source = dataset.source?.database;
    return source ? [{ dataset, source, deployment: source.environments[environment] as DatabaseDeployment | undefined }] : [];
  });
}

export interface DatabasePullsProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  readonly rawKey: IKey;
  readonly alertsTopic: sns.ITopic;
  readonly alertsKey: IKey;
}

/**
 * A pull for every database source with settings for this environment. A source without them
 * deploys nothing here, so a sample or a new source synthesizes before its secret and subnet
 * exist; synth warns, naming what to set.
 */
export function addDatabasePulls(scope: Construct, props: DatabasePullsProps): DatabasePull[] {
  const pulls: DatabasePull[] = [];
  for (const { dataset, source, deployment } of databaseSources(props.lob, props.names.environment)) {
    if (!deployment) {
      Annotations.of(scope).addWarningV2(`lakeworks:database-source-not-deployed:${dataset.name}`,
        `${props.lob.name} dataset ${dataset.name}: no database pull in environment ${props.names.environment}; set datasets[].source.database.environments.${props.names.environment} `
        + '(secretArn and network: subnetId, securityGroupIds, availabilityZone) in the LoB file to deploy it (docs/database-sources.md).');
      continue;
    }
    pulls.push(new DatabasePull(scope, `${dataset.name}-pull`, { ...props, dataset, source, deployment }));
  }
  return pulls;
}

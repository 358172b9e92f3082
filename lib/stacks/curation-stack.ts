/**
 * The curated layers of one line of business in one environment: data quality on standardized,
 * then the conformed tables, then the enriched tables, as Glue 5 jobs orchestrated by a Step
 * Functions state machine on the configured schedule (and on demand).
 *
 * - One Glue job per SQL file (`glue-scripts/sql/<lob>/<layer>/<table>.sql`), running
 *   `glue-scripts/run_sql.py` with the layer's security configuration, auto-scaling up to
 *   `curation.maxWorkers`, continuous logging, bookmarks and the configured timeout.
 * - One data quality job per dataset, running `glue-scripts/check_quality.py` with a DQDL ruleset
 *   generated from the dataset's config; the ruleset is also stored on the table.
 * - The state machine runs each stage's jobs in parallel, retries transient Glue failures, and on
 *   any failure publishes to the LoB's alerts topic and fails. Alarms cover failed and timed-out runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { acknowledgeRule, acknowledgeWildcardResources } from '../compliance/security-baseline';
import type { LobConfig } from '../config/lob-schema';
import { type DataLayer, type NameScope, dataBucketName, glueDatabaseName, glueSecurityConfigurationName, lobResourceName, lobRoleName } from '../config/names';
import { alertWhen } from '../constructs/alert-alarm';
import { LakeParameters } from '../constructs/lake-parameters';
import { OperationsKey } from '../constructs/operations-key';
import { dqRuleset } from '../curation/dq-ruleset';
import { sourceTables } from '../curation/sql-sources';
import { CURATED_LAYERS, type CuratedLayer, sqlFiles } from '../local/curated-layers';
import type { CatalogStack } from './catalog-stack';
import type { StorageStack } from './storage-stack';
import { removalPolicyFor } from './removal-policy';

export interface CurationStackProps extends StackProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  readonly storage: StorageStack;
  readonly catalog: CatalogStack;
  readonly alertsTopic: sns.ITopic;
  readonly alertsKey: IKey;
  readonly allowDataDestruction: boolean;
}

const GLUE_SCRIPTS = path.join(__dirname, '..', '..', 'glue-scripts');
const SOURCE_LAYER: Record<CuratedLayer, DataLayer> = { conformed: 'standardized', enriched: 'conformed' };

/** Job arguments, as `run_sql.py` and `check_quality.py` read them (without the leading `--`). */
export const RUN_SQL_ARGUMENTS = ['sql_path', 'source_database', 'source_tables', 'target_database', 'target_table', 'target_path'] as const;
export const CHECK_QUALITY_ARGUMENTS = ['database', 'table', 'ruleset'] as const;

export class CurationStack extends Stack {
  /** Glue job names by stage: quality, conformed, enriched. */
  public readonly jobs: Record<'quality' | CuratedLayer, glue.CfnJob[]> = { quality: [], conformed: [], enriched: [] };
  public readonly stateMachine: sfn.StateMachine;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CurationStackProps) {
    super(scope, id, props);
    const { names, lob, storage } = props;
    const settings = lob.curation;
    const removalPolicy = removalPolicyFor(props.allowDataDestruction);
    const runSql = new s3assets.Asset(this, 'RunSqlScript', { path: path.join(GLUE_SCRIPTS, 'run_sql.py') });
    const checkQuality = new s3assets.Asset(this, 'CheckQualityScript', { path: path.join(GLUE_SCRIPTS, 'check_quality.py') });
    const sqlAssets = CURATED_LAYERS.flatMap((layer) => sqlFiles(lob.name, layer).map(({ table, file }) => ({
      layer, table, file, asset: new s3assets.Asset(this, `${layer}-${table}-sql`, { path: file }),
    })));
    this.role = this.createJobRole(names, lob, storage, [runSql, checkQuality, ...sqlAssets.map((s) => s.asset)]);

    const jobDefaults = (layer: DataLayer, script: s3assets.Asset) => ({
      role: this.role.roleArn,
      glueVersion: '5.0',
      command: { name: 'glueetl', pythonVersion: '3', scriptLocation: script.s3ObjectUrl },
      workerType: 'G.1X',
      numberOfWorkers: settings.maxWorkers,
      timeout: settings.timeoutMinutes,
      maxRetries: 0, // the state machine retries, so a run is never doubled underneath it
      executionProperty: { maxConcurrentRuns: 1 },
      securityConfiguration: glueSecurityConfigurationName(names, lob.name, layer),
    });
    const acknowledgeSecurityConfiguration = (job: glue.CfnJob, layer: DataLayer) => {
      for (const rule of ['GL1', 'GL3']) {
        acknowledgeRule(job, ['AwsSolutions'], rule,
          `The job runs with ${glueSecurityConfigurationName(names, lob.name, layer)} (CatalogStack), which encrypts its CloudWatch logs and bookmarks with the ${layer} key; cdk-nag cannot follow the name across stacks.`);
      }
    };
    const commonArguments = {
      '--job-bookmark-option': 'job-bookmark-enable',
      '--enable-continuous-cloudwatch-log': 'true',
      '--enable-glue-datacatalog': 'true',
      '--enable-auto-scaling': 'true',
      '--enable-metrics': 'true',
      '--enable-job-insights': 'true',
    };

    for (const dataset of lob.datasets) {
      const job = new glue.CfnJob(this, `${dataset.name}-quality-job`, {
        ...jobDefaults('standardized', checkQuality),
        name: lobResourceName(names, lob.name, `quality-${dataset.name.replace(/_/g, '-')}`),
        description: `Data quality gate of ${dataset.name} (standardized)`,
        defaultArguments: {
          ...commonArguments,
          '--database': glueDatabaseName(names, lob.name, 'standardized'),
          '--table': dataset.name,
          '--ruleset': dqRuleset(dataset),
        },
      });
      new glue.CfnDataQualityRuleset(this, `${dataset.name}-ruleset`, {
        name: lobResourceName(names, lob.name, `${dataset.name.replace(/_/g, '-')}-rules`),
        description: `Generated from the ${dataset.name} config`,
        ruleset: dqRuleset(dataset),
        targetTable: { databaseName: glueDatabaseName(names, lob.name, 'standardized'), tableName: dataset.name },
      });
      acknowledgeSecurityConfiguration(job, 'standardized');
      this.jobs.quality.push(job);
    }
    const tablesOf: Record<DataLayer, string[]> = {
      raw: [], standardized: lob.datasets.map((d) => d.name), conformed: sqlFiles(lob.name, 'conformed').map((f) => f.table), enriched: [],
    };
    for (const { layer, table, file, asset } of sqlAssets) {
      const sources = sourceTables(fs.readFileSync(file, 'utf8'), tablesOf[SOURCE_LAYER[layer]]);
      const job = new glue.CfnJob(this, `${layer}-${table}-job`, {
        ...jobDefaults(layer, runSql),
        name: lobResourceName(names, lob.name, `${layer}-${table.replace(/_/g, '-')}`),
        description: `Builds ${layer}.${table} from ${sources.join(', ')}`,
        defaultArguments: {
          ...commonArguments,
          '--sql_path': asset.s3ObjectUrl,
          '--source_database': glueDatabaseName(names, lob.name, SOURCE_LAYER[layer]),
          '--source_tables': sources.join(','),
          '--target_database': glueDatabaseName(names, lob.name, layer),
          '--target_table': table,
          '--target_path': `s3://${dataBucketName(names, lob.name, layer)}/${table}/`,
        },
      });
      acknowledgeSecurityConfiguration(job, layer);
      this.jobs[layer].push(job);
    }

    this.stateMachine = this.createStateMachine(names, lob, props.alertsTopic, props.alertsKey, removalPolicy);
    new LakeParameters(this, 'Parameters', names, lob.name, { 'curation/state-machine-arn': this.stateMachine.stateMachineArn });
    const machineArn = `arn:${this.partition}:states:${this.region}:${this.account}:stateMachine:${lobResourceName(names, lob.name, 'curation')}`;
    const schedulerRole = new iam.Role(this, 'ScheduleRole', {
      roleName: lobRoleName(names, lob.name, 'curation-schedule'),
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      managedPolicies: [new iam.ManagedPolicy(this, 'SchedulePolicy', {
        description: `Starts the ${lob.name} curation (${names.environment})`,
        statements: [new iam.PolicyStatement({ sid: 'StartCuration', actions: ['states:StartExecution'], resources: [machineArn] })],
      })],
    });
    const schedule = new events.Rule(this, 'Schedule', {
      ruleName: lobResourceName(names, lob.name, 'curation-schedule'),
      description: `Runs the ${lob.name} curation (${settings.schedule})`,
      schedule: events.Schedule.expression(settings.schedule),
      targets: [new targets.SfnStateMachine(this.stateMachine, { role: schedulerRole.withoutPolicyUpdates(), retryAttempts: 185, maxEventAge: Duration.hours(24) })],
    });
    acknowledgeRule(schedule, ['Serverless'], 'EventBusDLQ',
      'A scheduled start EventBridge cannot deliver within a day of retries raises the FailedInvocations alarm; the next schedule runs the curation again.');
    for (const [alarmId, metric, description] of [
      ['FailedRunsAlarm', this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }), 'failed'],
      ['TimedOutRunsAlarm', this.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }), 'timed out'],
      ['ScheduleFailedAlarm', new cloudwatch.Metric({
        namespace: 'AWS/Events', metricName: 'FailedInvocations', dimensionsMap: { RuleName: lobResourceName(names, lob.name, 'curation-schedule') }, period: Duration.minutes(5), statistic: 'Sum',
      }), 'could not be started by its schedule'],
    ] as const) {
      alertWhen(this, alarmId, metric, 1, `A ${lob.name} curation run ${description}.`, props.alertsTopic);
    }
  }

  private createStateMachine(names: NameScope, lob: LobConfig, alerts: sns.ITopic, alertsKey: IKey, removalPolicy: RemovalPolicy): sfn.StateMachine {
    const stage = (name: 'quality' | CuratedLayer, label: string) => {
      const parallel = new sfn.Parallel(this, `${label}`, { comment: `${label}: every job of the stage at once`, resultPath: sfn.JsonPath.DISCARD });
      const jobs = this.jobs[name];
      if (jobs.length === 0) parallel.branch(new sfn.Pass(this, `${label} (no jobs)`));
      for (const job of jobs) {
        parallel.branch(new tasks.GlueStartJobRun(this, `Run ${job.name}`, {
          glueJobName: job.name!,
          integrationPattern: sfn.IntegrationPattern.RUN_JOB,
          resultPath: sfn.JsonPath.DISCARD,
        }).addRetry({ errors: ['Glue.ConcurrentRunsExceededException', 'Glue.ThrottlingException', 'Glue.InternalServiceException'], interval: Duration.minutes(1), maxAttempts: 3, backoffRate: 2 }));
      }
      return parallel;
    };
    const notify = new tasks.SnsPublish(this, 'Alert on failure', {
      topic: alerts,
      subject: `Lakeworks ${lob.name} (${names.environment}) curation failed`,
      message: sfn.TaskInput.fromJsonPathAt('$.error'),
      resultPath: sfn.JsonPath.DISCARD,
    }).next(new sfn.Fail(this, 'Curation failed'));
    const quality = stage('quality', 'Data quality');
    const conformed = stage('conformed', 'Conformed');
    const enriched = stage('enriched', 'Enriched');
    for (const step of [quality, conformed, enriched]) step.addCatch(notify, { resultPath: '$.error' });
    const definition = quality.next(conformed).next(enriched).next(new sfn.Succeed(this, 'Curated'));

    const logGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      logGroupName: `/aws/vendedlogs/states/${lobResourceName(names, lob.name, 'curation')}`,
      retention: lob.transform.logRetentionDays as logs.RetentionDays,
      encryptionKey: new OperationsKey(this, 'CurationKey', {
        alias: `alias/${names.organisation}/${names.environment}/${lob.name}/curation`,
        description: `Encrypts ${lob.name} curation logs (${names.environment})`,
        viaServices: [],
        logGroups: [`/aws/vendedlogs/states/${lobResourceName(names, lob.name, 'curation')}`],
        removalPolicy,
      }).key,
      removalPolicy,
    });
    const jobArns = [...this.jobs.quality, ...this.jobs.conformed, ...this.jobs.enriched]
      .map((job) => `arn:${this.partition}:glue:${this.region}:${this.account}:job/${job.name}`);
    const machinePolicy = new iam.ManagedPolicy(this, 'StateMachinePolicy', {
      description: `The ${lob.name} curation state machine (${names.environment})`,
      statements: [
        new iam.PolicyStatement({ sid: 'RunJobs', actions: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'], resources: jobArns }),
        new iam.PolicyStatement({ sid: 'Alert', actions: ['sns:Publish'], resources: [alerts.topicArn] }),
        new iam.PolicyStatement({ sid: 'EncryptAlerts', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [alertsKey.keyArn] }),
        new iam.PolicyStatement({
          sid: 'DeliverLogs',
          actions: ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
            'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({ sid: 'Trace', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], resources: ['*'] }),
      ],
    });
    acknowledgeWildcardResources(machinePolicy, ['*'], 'CloudWatch Logs delivery and X-Ray support no resource-level permissions.');
    const machineRole = new iam.Role(this, 'StateMachineRole', {
      roleName: lobRoleName(names, lob.name, 'curation-flow'),
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      managedPolicies: [machinePolicy],
    });
    const machine = new sfn.StateMachine(this, 'Curation', {
      stateMachineName: lobResourceName(names, lob.name, 'curation'),
      role: machineRole.withoutPolicyUpdates(),
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.minutes(lob.curation.timeoutMinutes * 3 + 30),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    machine.node.addDependency(machineRole);
    return machine;
  }

  /** Reads standardized, writes conformed and enriched, maintains their tables, reads its scripts. */
  private createJobRole(names: NameScope, lob: LobConfig, storage: StorageStack, assets: s3assets.Asset[]): iam.Role {
    const arn = (service: string, resource: string) => `arn:${this.partition}:${service}:${this.region}:${this.account}:${resource}`;
    const bucket = (layer: DataLayer) => `arn:${this.partition}:s3:::${dataBucketName(names, lob.name, layer)}`;
    const written: DataLayer[] = ['conformed', 'enriched'];
    const readObjects = [`${bucket('standardized')}/*`];
    const writtenObjects = written.map((layer) => `${bucket(layer)}/*`);
    const tables = (['standardized', ...written] as DataLayer[]).map((layer) => arn('glue', `table/${glueDatabaseName(names, lob.name, layer)}/*`));
    const logGroups = [arn('logs', 'log-group:/aws-glue/*')];
    const assetObjects = [...new Set(assets.map((asset) => `arn:${this.partition}:s3:::${asset.s3BucketName}/*`))];
    const policy = new iam.ManagedPolicy(this, 'JobPolicy', {
      description: `Least privilege for the ${lob.name} curation jobs (${names.environment})`,
      statements: [
        new iam.PolicyStatement({ sid: 'ListLayers', actions: ['s3:ListBucket'], resources: ['standardized', ...written].map((layer) => bucket(layer as DataLayer)) }),
        new iam.PolicyStatement({ sid: 'ReadStandardized', actions: ['s3:GetObject'], resources: readObjects }),
        new iam.PolicyStatement({ sid: 'WriteCurated', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: writtenObjects }),
        new iam.PolicyStatement({ sid: 'DecryptStandardized', actions: ['kms:Decrypt'], resources: [storage.layers.standardized.encryptionKey.keyArn] }),
        new iam.PolicyStatement({ sid: 'EncryptCurated', actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: written.map((layer) => storage.layers[layer].encryptionKey.keyArn) }),
        new iam.PolicyStatement({
          sid: 'MaintainCatalog',
          actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:CreateTable', 'glue:UpdateTable', 'glue:GetPartitions', 'glue:GetUserDefinedFunctions',
            'glue:GetDataQualityRuleset', 'glue:PublishDataQuality'],
          resources: [arn('glue', 'catalog'), ...(['standardized', ...written] as DataLayer[]).map((layer) => arn('glue', `database/${glueDatabaseName(names, lob.name, layer)}`)), ...tables,
            arn('glue', `dataQualityRuleset/${lobResourceName(names, lob.name, '*')}`)],
        }),
        new iam.PolicyStatement({ sid: 'AskLakeFormationForData', actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
        new iam.PolicyStatement({ sid: 'WriteJobLogs', actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'], resources: logGroups }),
        new iam.PolicyStatement({ sid: 'PublishJobMetrics', actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': ['Glue', 'Glue Data Quality'] } } }),
        new iam.PolicyStatement({ sid: 'ReadScripts', actions: ['s3:GetObject'], resources: assetObjects }),
      ],
    });
    acknowledgeWildcardResources(policy, [...readObjects, ...writtenObjects], 'Objects of the layers the jobs read and write; Spark names its output files.');
    acknowledgeWildcardResources(policy, tables, 'Jobs create and update the curated tables their SQL defines, and read any standardized table.');
    acknowledgeWildcardResources(policy, logGroups, 'Glue names job log groups and streams itself under /aws-glue/.');
    acknowledgeWildcardResources(policy, ['*'], 'lakeformation:GetDataAccess and cloudwatch:PutMetricData (limited to the Glue namespaces) support no resource-level permissions.');
    acknowledgeWildcardResources(policy, [arn('glue', `dataQualityRuleset/${lobResourceName(names, lob.name, '*')}`)], 'Data quality rulesets of this LoB only, whose names the stack derives; results are published to them.');
    acknowledgeWildcardResources(policy, assetObjects, 'The Glue scripts and SQL files CDK uploads to the bootstrap assets bucket, under content-hash names.');
    return new iam.Role(this, 'JobRole', {
      roleName: lobRoleName(names, lob.name, 'curation'),
      description: `Glue curation jobs of ${lob.name} (${names.environment})`,
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      managedPolicies: [policy],
    });
  }
}

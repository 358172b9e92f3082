/**
 * The curated layers of one line of business in one environment: every conformed and enriched
 * table is an Apache Iceberg table kept by its own Glue job, run by a Step Functions state machine
 * on the configured schedule (and on demand), with a weekly upkeep job of its own.
 *
 * - One Glue job per declared table (`curated:` in the LoB file), running
 *   `glue-scripts/jobs/curate_table.py` with the table's spec, its SQL file and the
 *   `lakeworks_curation` package, on the Glue version in `glue-scripts/glue-runtime.json`. A run
 *   reads what changed since the table's last successful run (it keeps that state on the table, so
 *   job bookmarks are off), checks the rows it read and the rows it is about to write against the
 *   table's data quality rules, and commits one MERGE.
 * - The state machine merges its input over `{"mode": "incremental"}`, runs every conformed job at
 *   once, then every enriched job, then (when the LoB has SPICE datasets) starts their ingestion.
 *   Starting an execution with `{"mode": "backfill"}` rebuilds every table from all of its sources
 *   instead. Transient Glue failures are retried; any failure publishes to the LoB's alerts topic
 *   and fails the execution. Alarms cover failed and timed-out executions and missed schedules.
 * - `glue-scripts/jobs/maintain_tables.py` compacts every curated table, expires its old snapshots
 *   and removes orphan files, on a Glue trigger (`curation.maintenance`); a failed run alerts.
 * - A Glue Data Quality ruleset per standardized dataset with rules holds the rules the conformed
 *   jobs evaluate on what they read, so the console shows them with the dataset.
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
import { MANIFESTS_PREFIX } from '../../contract/standardized-layout';
import { acknowledgeRule, acknowledgeWildcardResources } from '../compliance/security-baseline';
import type { CuratedLayer } from '../config/curated-schema';
import { curatedSqlFile } from '../config/curated-sql';
import type { LobConfig } from '../config/lob-schema';
import {
  type DataLayer, GLUE_LOG_GROUP_PATTERN, type NameScope, curatedJobName, dataBucketName, datasetResourceName, glueDatabaseName, glueSecurityConfigurationName,
  lobKeyAlias, lobResourceName, lobRoleName, stateMachineLogGroupName,
} from '../config/names';
import { alertWhen } from '../constructs/alert-alarm';
import { LakeParameters } from '../constructs/lake-parameters';
import { OperationsKey } from '../constructs/operations-key';
import { datasetRules, ruleset } from '../curation/dq-ruleset';
import { curationJobArguments, maintenanceJobArguments } from '../curation/job-arguments';
import { type TableSpec, tableSpecs } from '../curation/table-spec';
import {
  KMS_ACTIONS, bucketArn, glueCatalogArn, glueCatalogRead, glueDataQualityRulesetArn, glueDatabaseArn, glueJobArn, glueTableArn, keyStatement,
  lakeFormationDataAccess, listBucket, logGroupArn, logsCreateEncrypted, logsDeliver, objectArns, objectStatement, publishEncrypted, quickSightDataSetArn,
  stateMachineArn, xrayWrite,
} from '../permissions';
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
  /**
   * QuickSight SPICE datasets built on the enriched tables: each successful run starts their
   * ingestion once the enriched tables are written. None when the LoB has no SPICE dashboard here.
   */
  readonly quickSightDataSetIds?: readonly string[];
}

const GLUE_SCRIPTS = path.join(__dirname, '..', '..', 'glue-scripts');
/** The Glue version the jobs declare; the Spark tests run the engines of the same version. */
export const GLUE_VERSION: string = JSON.parse(fs.readFileSync(path.join(GLUE_SCRIPTS, 'glue-runtime.json'), 'utf8')).glueVersion;

/** Arguments `curate_table.py` reads from every job (without the leading `--`); see its docstring. */
export const CURATE_TABLE_ARGUMENTS = ['table_spec', 'sql_path', 'source_database', 'target_database', 'target_location', 'mode'] as const;
/** Arguments `curate_table.py` reads from conformed jobs only. */
export const CONFORMED_ARGUMENTS = ['standardized_location'] as const;
/** Arguments `maintain_tables.py` reads. */
export const MAINTAIN_TABLES_ARGUMENTS = ['tables', 'snapshot_retention_days', 'orphan_file_age_days'] as const;

/** What an execution runs when its input says nothing else; the schedule passes it explicitly. */
export const DEFAULT_EXECUTION_INPUT = { mode: 'incremental' } as const;

/** The Iceberg catalog the Python code names its tables in (`lakeworks_curation.iceberg_table.CATALOG`). */
export const ICEBERG_CATALOG = 'glue_catalog';

/**
 * The Spark settings that make `glue_catalog` Iceberg's Glue catalog, as one `--conf` value in
 * the form Glue documents for Iceberg (later settings follow their own `--conf`). Tables are
 * created at their own locations; the warehouse is only the catalog's required default.
 */
export function icebergSparkConf(warehouse: string): string {
  return [
    'spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions',
    `spark.sql.catalog.${ICEBERG_CATALOG}=org.apache.iceberg.spark.SparkCatalog`,
    `spark.sql.catalog.${ICEBERG_CATALOG}.catalog-impl=org.apache.iceberg.aws.glue.GlueCatalog`,
    `spark.sql.catalog.${ICEBERG_CATALOG}.io-impl=org.apache.iceberg.aws.s3.S3FileIO`,
    `spark.sql.catalog.${ICEBERG_CATALOG}.warehouse=${warehouse}`,
  ].join(' --conf ');
}

/** Glue's own job parameters, the same for every job of the stack. */
export const GLUE_JOB_ARGUMENTS = {
  '--datalake-formats': 'iceberg',
  '--enable-glue-datacatalog': 'true',
  // Each job records on its table what it has read; bookmarks would be a second, diverging record.
  '--job-bookmark-option': 'job-bookmark-disable',
  '--enable-continuous-cloudwatch-log': 'true',
  '--enable-auto-scaling': 'true',
  '--enable-metrics': 'true',
  '--enable-job-insights': 'true',
} as const;

/** Glue errors worth another attempt: the previous run still finishing, throttling, Glue itself. */
const GLUE_TRANSIENT_ERRORS = ['Glue.ConcurrentRunsExceededException', 'Glue.ThrottlingException', 'Glue.InternalServiceException'];

export interface CurationJob {
  readonly layer: CuratedLayer;
  readonly table: string;
  readonly job: glue.CfnJob;
  readonly spec: TableSpec;
}

/**
 * The schedule starts each execution with `{"mode": "incremental"}`, as does a manual start with
 * `{}`. Start one with `{"mode": "backfill"}` to rebuild every conformed and enriched table from
 * all of its sources, each in one commit, then refresh SPICE as usual.
 */
export class CurationStack extends Stack {
  /** One job per declared table, conformed first, in config order. */
  public readonly jobs: readonly CurationJob[];
  public readonly maintenanceJob?: glue.CfnJob;
  public readonly stateMachine: sfn.StateMachine;
  public readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: CurationStackProps) {
    super(scope, id, props);
    const { names, lob, storage } = props;
    const settings = lob.curation;
    const removalPolicy = removalPolicyFor(props.allowDataDestruction);
    const database = (layer: DataLayer) => glueDatabaseName(names, lob.name, layer);
    const bucketUrl = (layer: DataLayer) => `s3://${dataBucketName(names, lob.name, layer)}/`;
    const specs = tableSpecs(lob);

    const curateTable = new s3assets.Asset(this, 'CurateTableScript', { path: path.join(GLUE_SCRIPTS, 'jobs', 'curate_table.py') });
    const maintainTables = new s3assets.Asset(this, 'MaintainTablesScript', { path: path.join(GLUE_SCRIPTS, 'jobs', 'maintain_tables.py') });
    // The entry points import lakeworks_curation from this zip (the package at its root).
    const pythonPackage = new s3assets.Asset(this, 'CurationPackage', { path: path.join(GLUE_SCRIPTS, 'src'), exclude: ['**/__pycache__/**'] });
    const sqlAssets = new Map(specs.map(({ table }) => [`${table.layer}.${table.name}`,
      new s3assets.Asset(this, `${table.layer}-${table.name}-sql`, { path: curatedSqlFile(lob.name, table.layer, table.name) })]));
    this.role = this.createJobRole(names, lob, storage, [curateTable, maintainTables, pythonPackage, ...sqlAssets.values()]);

    const jobDefaults = (layer: DataLayer, script: s3assets.Asset) => ({
      role: this.role.roleArn,
      glueVersion: GLUE_VERSION,
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
      ...GLUE_JOB_ARGUMENTS,
      '--extra-py-files': pythonPackage.s3ObjectUrl,
      '--conf': icebergSparkConf(bucketUrl('conformed')),
    };

    this.jobs = specs.map(({ table, spec }) => {
      const layer = table.layer;
      const job = new glue.CfnJob(this, `${layer}-${table.name}-job`, {
        ...jobDefaults(layer, curateTable),
        name: curatedJobName(names, lob.name, layer, table.name),
        description: `Keeps ${layer}.${table.name} (Iceberg) from ${spec.layer === 'conformed' ? `standardized.${spec.source}` : spec.sources.map((source) => `conformed.${source}`).join(', ')}`,
        defaultArguments: {
          ...commonArguments,
          // The same arguments local mode and the Spark tests give the entry point, with S3 locations.
          ...curationJobArguments(names, lob.name, spec, sqlAssets.get(`${layer}.${table.name}`)!.s3ObjectUrl, (bucketLayer) => `s3://${dataBucketName(names, lob.name, bucketLayer)}`),
        },
      });
      acknowledgeSecurityConfiguration(job, layer);
      return { layer, table: table.name, job, spec };
    });

    for (const dataset of lob.datasets) {
      const rules = datasetRules(dataset);
      if (rules.length === 0) continue;
      new glue.CfnDataQualityRuleset(this, `${dataset.name}-ruleset`, {
        name: datasetResourceName(names, lob.name, dataset.name, 'rules'),
        description: `What every new ${dataset.name} row must pass; the conformed job evaluates it on the rows each run reads`,
        ruleset: ruleset(rules),
        targetTable: { databaseName: database('standardized'), tableName: dataset.name },
      });
    }

    if (this.jobs.length > 0) {
      const maintenance = settings.maintenance;
      const maintenanceName = lobResourceName(names, lob.name, 'table-maintenance');
      // Compaction rewrites tables of both curated layers. The conformed configuration encrypts
      // the job's logs with the conformed key; table files go through Iceberg's S3FileIO, which
      // names no key, so each bucket encrypts them with its own layer's key (and each bucket's
      // policy refuses an upload that names another).
      this.maintenanceJob = new glue.CfnJob(this, 'MaintenanceJob', {
        ...jobDefaults('conformed', maintainTables),
        name: maintenanceName,
        description: `Compacts the ${lob.name} curated tables, expires snapshots older than ${maintenance.snapshotRetentionDays} days and removes orphan files`,
        defaultArguments: {
          ...commonArguments,
          ...maintenanceJobArguments(names, lob.name, this.jobs.map(({ layer, table }) => ({ layer, name: table })), maintenance),
        },
      });
      acknowledgeSecurityConfiguration(this.maintenanceJob, 'conformed');
      const trigger = new glue.CfnTrigger(this, 'MaintenanceSchedule', {
        name: maintenanceName,
        description: `Starts the ${lob.name} table maintenance (${maintenance.schedule})`,
        type: 'SCHEDULED',
        schedule: maintenance.schedule,
        startOnCreation: true,
        actions: [{ jobName: maintenanceName }],
      });
      trigger.addResourceDependency(this.maintenanceJob);
      this.alertOnMaintenanceFailure(names, lob, maintenanceName, props.alertsTopic, props.alertsKey);
    }

    this.stateMachine = this.createStateMachine(names, lob, props.alertsTopic, props.alertsKey, props.quickSightDataSetIds ?? [], removalPolicy);
    new LakeParameters(this, 'Parameters', names, lob.name, { 'curation/state-machine-arn': this.stateMachine.stateMachineArn });
    const machineArn = stateMachineArn(this, lobResourceName(names, lob.name, 'curation'));
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
      targets: [new targets.SfnStateMachine(this.stateMachine, {
        input: events.RuleTargetInput.fromObject(DEFAULT_EXECUTION_INPUT),
        role: schedulerRole.withoutPolicyUpdates(),
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      })],
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

  /**
   * A maintenance run that fails, times out or errs is published to the alerts topic. EventBridge
   * publishes through a role, with the same permissions the state machine alerts with, so neither
   * the topic's policy nor its key's (TransformStack) names this stack.
   */
  private alertOnMaintenanceFailure(names: NameScope, lob: LobConfig, jobName: string, alerts: sns.ITopic, alertsKey: IKey): void {
    const ruleName = lobResourceName(names, lob.name, 'table-maintenance-failed');
    const role = new iam.Role(this, 'MaintenanceAlertRole', {
      roleName: lobRoleName(names, lob.name, 'curation-alerts'),
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      managedPolicies: [new iam.ManagedPolicy(this, 'MaintenanceAlertPolicy', {
        description: `Publishes failed ${lob.name} table maintenance runs to the alerts topic (${names.environment})`,
        statements: publishEncrypted({ sid: 'Alert', topic: alerts.topicArn, keySid: 'EncryptAlerts', key: alertsKey.keyArn }),
      })],
    });
    const rule = new events.Rule(this, 'MaintenanceFailed', {
      ruleName,
      description: `Alerts when the ${lob.name} table maintenance job fails, times out or errs`,
      eventPattern: { source: ['aws.glue'], detailType: ['Glue Job State Change'], detail: { jobName: [jobName], state: ['FAILED', 'TIMEOUT', 'ERROR'] } },
      targets: [new targets.SnsTopic(alerts, {
        role: role.withoutPolicyUpdates(),
        message: events.RuleTargetInput.fromText(`Lakeworks ${lob.name} (${names.environment}): table maintenance run ${events.EventField.fromPath('$.detail.jobRunId')} `
          + `of ${jobName} ended ${events.EventField.fromPath('$.detail.state')}: ${events.EventField.fromPath('$.detail.message')}`),
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      })],
    });
    acknowledgeRule(rule, ['Serverless'], 'EventBusDLQ',
      'A failure notice EventBridge cannot deliver within a day of retries raises the MaintenanceAlertFailedAlarm; the failed run stays in the job\'s Glue run history.');
    alertWhen(this, 'MaintenanceAlertFailedAlarm', new cloudwatch.Metric({
      namespace: 'AWS/Events', metricName: 'FailedInvocations', dimensionsMap: { RuleName: ruleName }, period: Duration.minutes(5), statistic: 'Sum',
    }), 1, `A failed ${lob.name} table maintenance run could not be announced; see the job's run history.`, alerts);
  }

  private createStateMachine(
    names: NameScope, lob: LobConfig, alerts: sns.ITopic, alertsKey: IKey, dataSetIds: readonly string[], removalPolicy: RemovalPolicy,
  ): sfn.StateMachine {
    const stage = (layer: CuratedLayer, label: string) => {
      const parallel = new sfn.Parallel(this, label, { comment: `${label}: every job of the stage at once`, resultPath: sfn.JsonPath.DISCARD });
      const jobs = this.jobs.filter((job) => job.layer === layer);
      if (jobs.length === 0) parallel.branch(new sfn.Pass(this, `${label} (no jobs)`));
      for (const { job } of jobs) {
        parallel.branch(new tasks.GlueStartJobRun(this, `Run ${job.name}`, {
          glueJobName: job.name!,
          integrationPattern: sfn.IntegrationPattern.RUN_JOB,
          arguments: sfn.TaskInput.fromObject({ '--mode': sfn.JsonPath.stringAt('$.mode') }),
          resultPath: sfn.JsonPath.DISCARD,
        }).addRetry({ errors: GLUE_TRANSIENT_ERRORS, interval: Duration.minutes(1), maxAttempts: 3, backoffRate: 2 }));
      }
      return parallel;
    };
    const notify = new tasks.SnsPublish(this, 'Alert on failure', {
      topic: alerts,
      subject: `Lakeworks ${lob.name} (${names.environment}) curation failed`,
      message: sfn.TaskInput.fromJsonPathAt('$.error'),
      resultPath: sfn.JsonPath.DISCARD,
    }).next(new sfn.Fail(this, 'Curation failed'));

    // The execution's input over the defaults: `{}` (a manual start) runs incrementally.
    // Braces in an intrinsic function's string literal are escaped with a backslash.
    const defaults = JSON.stringify(DEFAULT_EXECUTION_INPUT).replace(/[{}]/g, (brace) => `\\${brace}`);
    const start = new sfn.Pass(this, 'Apply defaults', {
      comment: `The execution input merged over ${JSON.stringify(DEFAULT_EXECUTION_INPUT)}`,
      parameters: { 'run.$': `States.JsonMerge(States.StringToJson('${defaults}'), $, false)` },
      outputPath: '$.run',
    });
    const conformed = stage('conformed', 'Conformed');
    const enriched = stage('enriched', 'Enriched');
    const steps: Array<sfn.Parallel> = [conformed, enriched];
    if (dataSetIds.length > 0) {
      const refresh = new sfn.Parallel(this, 'Refresh SPICE', { comment: 'Starts the ingestion of every SPICE dataset on the enriched tables', resultPath: sfn.JsonPath.DISCARD });
      for (const dataSetId of dataSetIds) {
        refresh.branch(new tasks.CallAwsService(this, `Ingest ${dataSetId}`, {
          service: 'quicksight',
          action: 'createIngestion',
          iamAction: 'quicksight:CreateIngestion',
          iamResources: this.dataSetArns([dataSetId]),
          parameters: {
            AwsAccountId: this.account,
            DataSetId: dataSetId,
            // Unique per execution, redrive and dataset, and always of QuickSight's alphabet.
            IngestionId: sfn.JsonPath.hash(sfn.JsonPath.format(`{}/{}/${dataSetId}`, sfn.JsonPath.executionName, sfn.JsonPath.stringAt('$$.Execution.RedriveCount')), 'SHA-256'),
            IngestionType: 'FULL_REFRESH',
          },
          resultPath: sfn.JsonPath.DISCARD,
        }).addRetry({ errors: ['QuickSight.ThrottlingException'], interval: Duration.seconds(30), maxAttempts: 3, backoffRate: 2 }));
      }
      steps.push(refresh);
    }
    for (const step of steps) step.addCatch(notify, { resultPath: '$.error' });
    let chain: sfn.Chain = start.next(conformed);
    for (const step of steps.slice(1)) chain = chain.next(step);
    const definition = chain.next(new sfn.Succeed(this, 'Curated'));

    const logGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      logGroupName: stateMachineLogGroupName(lobResourceName(names, lob.name, 'curation')),
      retention: lob.curation.logRetentionDays,
      encryptionKey: new OperationsKey(this, 'CurationKey', {
        alias: lobKeyAlias(names, lob.name, 'curation'),
        description: `Encrypts ${lob.name} curation logs (${names.environment})`,
        viaServices: [],
        logGroups: [stateMachineLogGroupName(lobResourceName(names, lob.name, 'curation'))],
        removalPolicy,
      }).key,
      removalPolicy,
    });
    const jobArns = this.jobs.map(({ job }) => glueJobArn(this, job.name!));
    const ingestionArns = this.dataSetArns(dataSetIds);
    const machinePolicy = new iam.ManagedPolicy(this, 'StateMachinePolicy', {
      description: `The ${lob.name} curation state machine (${names.environment})`,
      statements: [
        ...(jobArns.length > 0 ? [new iam.PolicyStatement({ sid: 'RunJobs', actions: ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'], resources: jobArns })] : []),
        ...(ingestionArns.length > 0 ? [new iam.PolicyStatement({ sid: 'RefreshSpice', actions: ['quicksight:CreateIngestion'], resources: ingestionArns })] : []),
        ...publishEncrypted({ sid: 'Alert', topic: alerts.topicArn, keySid: 'EncryptAlerts', key: alertsKey.keyArn }),
        logsDeliver('DeliverLogs'),
        xrayWrite('Trace', { sampling: true }),
      ],
    });
    acknowledgeWildcardResources(machinePolicy, ['*'], 'CloudWatch Logs delivery and X-Ray support no resource-level permissions.');
    acknowledgeWildcardResources(machinePolicy, ingestionArns, 'Ingestions of the named SPICE datasets only; each run names its ingestion when it starts it.');
    const machineRole = new iam.Role(this, 'StateMachineRole', {
      roleName: lobRoleName(names, lob.name, 'curation-flow'),
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': this.account } } }),
      managedPolicies: [machinePolicy],
    });
    const machine = new sfn.StateMachine(this, 'Curation', {
      stateMachineName: lobResourceName(names, lob.name, 'curation'),
      role: machineRole.withoutPolicyUpdates(),
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      // Two job stages, each at most one job timeout, plus retry waits and the ingestion starts.
      timeout: Duration.minutes(lob.curation.timeoutMinutes * 2 + 30),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
    return machine;
  }

  /** A SPICE dataset and its ingestions: IAM authorizes CreateIngestion on the ingestion. */
  private dataSetArns(dataSetIds: readonly string[]): string[] {
    return dataSetIds.flatMap((id) => {
      const dataSet = quickSightDataSetArn(this, id);
      return [dataSet, `${dataSet}/ingestion/*`];
    });
  }

  /**
   * Reads the standardized datasets its conformed tables are built from, keeps the curated Iceberg
   * tables (data and metadata files, catalog entries; never dropping one), reads its scripts.
   */
  private createJobRole(names: NameScope, lob: LobConfig, storage: StorageStack, assets: s3assets.Asset[]): iam.IRole {
    // CatalogStack creates the role (Lake Formation grants name it before this stack exists).
    const role = iam.Role.fromRoleName(this, 'JobRole', lobRoleName(names, lob.name, 'curation'), { mutable: false });
    const bucket = (layer: DataLayer) => bucketArn(this, dataBucketName(names, lob.name, layer));
    const database = (layer: DataLayer) => glueDatabaseName(names, lob.name, layer);
    const curated: CuratedLayer[] = ['conformed', 'enriched'];
    const layers: DataLayer[] = ['standardized', ...curated];
    const tables = tableSpecs(lob).map(({ table }) => table);
    // Data files and manifests of the datasets conformed tables read; never quarantined records.
    const sources = [...new Set(lob.curated.conformed.map((table) => table.source))];
    const sourceObjects = sources.flatMap((dataset) => objectArns(bucket('standardized'), [`${dataset}/`, `${MANIFESTS_PREFIX}${dataset}/`]));
    // Each table's location holds its data and metadata files; maintenance deletes unreferenced ones.
    const tableObjects = tables.flatMap((table) => objectArns(bucket(table.layer), [`${table.name}/`]));
    const catalogTables = layers.map((layer) => glueTableArn(this, database(layer), '*'));
    const keptTables = tables.map((table) => glueTableArn(this, database(table.layer), table.name));
    const logGroups = [logGroupArn(this, GLUE_LOG_GROUP_PATTERN)];
    const qualityResults = [glueDataQualityRulesetArn(this, '*')];
    const assetObjects = [...new Set(assets.flatMap((asset) => objectArns(bucketArn(this, asset.s3BucketName), [''])))];
    const catalog = glueCatalogArn(this);
    const policy = new iam.ManagedPolicy(this, 'JobPolicy', {
      description: `Least privilege for the ${lob.name} curation jobs (${names.environment})`,
      statements: [
        // Object statements exist only when there are tables to read or keep; the key statements
        // after them are unconditional, so the S3 and KMS halves are stated apart here.
        listBucket('ListLayers', layers.map(bucket)),
        ...(sourceObjects.length > 0 ? [objectStatement('ReadStandardized', 'read', sourceObjects)] : []),
        ...(tableObjects.length > 0 ? [objectStatement('KeepTableFiles', 'readWriteDelete', tableObjects)] : []),
        keyStatement('DecryptStandardized', KMS_ACTIONS.decrypt, [storage.layers.standardized.encryptionKey.keyArn]),
        keyStatement('EncryptCurated', KMS_ACTIONS.readWrite, curated.map((layer) => storage.layers[layer].encryptionKey.keyArn)),
        glueCatalogRead('ReadCatalog', [catalog, ...layers.map((layer) => glueDatabaseArn(this, database(layer))), ...catalogTables]),
        // Spark's catalog client checks that the `default` database exists when the session starts.
        new iam.PolicyStatement({ sid: 'FindDefaultDatabase', actions: ['glue:GetDatabase'], resources: [catalog, glueDatabaseArn(this, 'default')] }),
        ...(keptTables.length > 0 ? [new iam.PolicyStatement({
          sid: 'KeepCuratedTables',
          actions: ['glue:CreateTable', 'glue:UpdateTable'],
          resources: [catalog, ...curated.map((layer) => glueDatabaseArn(this, database(layer))), ...keptTables],
        })] : []),
        new iam.PolicyStatement({ sid: 'PublishQualityResults', actions: ['glue:PublishDataQuality'], resources: qualityResults }),
        lakeFormationDataAccess('AskLakeFormationForData'),
        logsCreateEncrypted('WriteJobLogs', logGroups),
        new iam.PolicyStatement({ sid: 'PublishJobMetrics', actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': ['Glue', 'Glue Data Quality'] } } }),
        objectStatement('ReadScripts', 'read', assetObjects),
      ],
    });
    acknowledgeWildcardResources(policy, sourceObjects, 'Data files and manifests of a standardized dataset a conformed table reads; the transform names them per source object.');
    acknowledgeWildcardResources(policy, tableObjects, 'The location of one curated table: Iceberg names its data and metadata files, and maintenance deletes those no snapshot references.');
    acknowledgeWildcardResources(policy, catalogTables, 'Jobs look up tables of the layers they read and write; only the declared curated tables may be created or updated.');
    acknowledgeWildcardResources(policy, logGroups, 'Glue names job log groups and streams itself under /aws-glue/.');
    acknowledgeWildcardResources(policy, qualityResults, 'Results of rules evaluated inside a job belong to no ruleset the stack could name.');
    acknowledgeWildcardResources(policy, ['*'], 'lakeformation:GetDataAccess and cloudwatch:PutMetricData (limited to the Glue namespaces) support no resource-level permissions.');
    acknowledgeWildcardResources(policy, assetObjects, 'The Glue scripts, package and SQL files CDK uploads to the bootstrap assets bucket, under content-hash names.');
    policy.attachToRole(role);
    return role;
  }
}

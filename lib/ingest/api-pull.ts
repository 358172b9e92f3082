/**
 * The scheduled pull of one dataset from an HTTP API (`source.api` in the LoB file): a Lambda
 * (lambda/pull/handler.ts) started by an EventBridge schedule, writing each response as received
 * to raw `landing/<dataset>/api/…`, from where the transform takes over.
 *
 * Its role may write only the dataset's landing/ and errors/ prefixes and its own state object in
 * raw, encrypt with the raw key, and read the one configured secret. Alarms: a response kept under
 * errors/, a request given up, and a function error or throttle, each to the LoB's alerts topic.
 */
import { Annotations, Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { API_FOLDER, apiStateKey } from '../../contract/api-source';
import { splitBundled } from '../../contract/lambda-environment';
import * as pullSettings from '../../contract/pull-settings';
import { errorsPrefix, rawPrefix } from '../../contract/raw-layout';
import { COMPLIANCE_PACKS, acknowledgeRule, acknowledgeWildcardResources } from '../compliance/security-baseline';
import type { ApiDeployment, ApiSourceConfig } from '../config/api-source-schema';
import { DATASET_ROLE_PURPOSES } from '../config/dataset-roles';
import type { DatasetConfig, LobConfig } from '../config/lob-schema';
import { type NameScope, dataBucketName, datasetResourceName, datasetRoleName, lambdaLogGroupName } from '../config/names';
import { alertWhen } from '../constructs/alert-alarm';
import { lakeworksFunction } from '../constructs/lakeworks-function';
import { anyKeyArn, bucketArn, keyStatement, logsWrite, objectArns, objectStatement, readSecret, xrayWrite } from '../permissions';
import { apiPullSpec } from './api-pull-spec';

/** Function and log group names of API pulls end so: the ingest key's log group pattern. */
export const API_PULL_SUFFIX = DATASET_ROLE_PURPOSES.apiPull;

export interface ApiPullProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  readonly dataset: DatasetConfig;
  readonly source: ApiSourceConfig;
  readonly deployment: ApiDeployment;
  readonly rawKey: IKey;
  /** Encrypts the pull's logs. */
  readonly logKey: IKey;
  readonly alertsTopic: sns.ITopic;
  readonly removalPolicy: RemovalPolicy;
}

export class ApiPull extends Construct {
  public readonly function: lambda.IFunction;
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ApiPullProps) {
    super(scope, id);
    const { names, lob, dataset, source, deployment } = props;
    const stack = Stack.of(this);
    const functionName = datasetResourceName(names, lob.name, dataset.name, API_PULL_SUFFIX);
    const rawBucket = bucketArn(stack, dataBucketName(names, lob.name, 'raw'));
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: lambdaLogGroupName(functionName), retention: lob.ingest.logRetentionDays, encryptionKey: props.logKey, removalPolicy: props.removalPolicy,
    });
    const written = objectArns(rawBucket, [`${rawPrefix(dataset.name, 'batch')}${API_FOLDER}/`, `${errorsPrefix(dataset.name)}${API_FOLDER}/`]);
    const state = `${rawBucket}/${apiStateKey(dataset.name)}`;
    const anyKey = anyKeyArn(stack);
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Least privilege for the ${dataset.name} API pull (${names.environment})`,
      statements: [
        objectStatement('WriteResponses', 'writeDelete', written),
        objectStatement('KeepPullState', 'readWriteDelete', [state]),
        keyStatement('EncryptWithRawKey', ['kms:GenerateDataKey', 'kms:Decrypt'], [props.rawKey.keyArn]),
        ...readSecret({ sid: 'ReadApiSecret', secret: deployment.secretArn, keySid: 'DecryptApiSecret', anyKey, region: stack.region }),
        logsWrite('WriteLogs', [logGroup.logGroupArn]),
        xrayWrite('WriteTraces'),
      ],
    });
    acknowledgeWildcardResources(policy, written, 'Objects under the dataset\'s landing/…/api/ and errors/…/api/ prefixes; the pull names them by parameters, period and page.');
    acknowledgeWildcardResources(policy, [anyKey],
      'The secret\'s key is not known at synth; the conditions allow decryption only through Secrets Manager and only of the configured secret.');
    acknowledgeWildcardResources(policy, ['*'], 'X-Ray trace submission supports no resource-level permissions.');
    acknowledgeWildcardResources(policy, [logGroup.logGroupArn], 'The log group ARN ends in :* (all its streams), the form CloudWatch Logs authorizes.');
    const role = new iam.Role(this, 'Role', {
      roleName: datasetRoleName(names, lob.name, dataset.name, API_PULL_SUFFIX),
      description: `Runs the ${dataset.name} API pull (${names.environment})`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [policy],
    });
    const spec = apiPullSpec(dataset, source);
    const fn = lakeworksFunction(this, 'Function', {
      functionName,
      description: `Pulls ${dataset.name} from ${new URL(source.url).host} into raw ${rawPrefix(dataset.name, 'batch')}${API_FOLDER}/ (${names.environment})`,
      entry: 'pull/handler.ts',
      memorySize: 512,
      timeout: Duration.seconds(source.timeoutSeconds),
      concurrencyBoundBy: 'its only caller is its schedule, once per period, and EventBridge retries a failed asynchronous invocation at most twice',
      role,
      logGroup,
      variables: splitBundled(pullSettings.toEnvironment({ rawBucket: dataBucketName(names, lob.name, 'raw'), spec, secret: { arn: deployment.secretArn } }), pullSettings.BUNDLED_VARIABLES),
    });
    this.function = fn;
    // A run's requests go out asynchronously: a failed invocation is retried twice, then the
    // function-error alarm fires and the next scheduled run catches the periods up.
    fn.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
    this.rule = new events.Rule(this, 'Schedule', {
      ruleName: functionName,
      description: `Starts the ${dataset.name} API pull (${source.schedule})`,
      schedule: events.Schedule.expression(source.schedule),
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });
    // A lost or failed invocation carries no data, only "run now": the next run catches up every
    // period the state has not recorded as complete, and the failure itself raises ErrorsAlarm.
    const noDataLost = 'The invocation carries no data, only the run\'s time: the next scheduled run catches up every period the pull state has not recorded as complete, and a failure raises the function-errors alarm.';
    acknowledgeRule(fn, [...COMPLIANCE_PACKS, 'Serverless'], 'LambdaDLQ', noDataLost);
    acknowledgeRule(fn.node.findChild('EventInvokeConfig'), ['Serverless'], 'LambdaAsyncFailureDestination', noDataLost);
    acknowledgeRule(this.rule, ['Serverless'], 'EventBusDLQ', noDataLost);

    const fiveMinutes = Duration.minutes(5);
    const pullMetric = (metricName: string) => new cloudwatch.Metric({
      namespace: pullSettings.PULL_IDENTITY.metricsNamespace, metricName,
      dimensionsMap: { service: pullSettings.PULL_IDENTITY.metricsService, dataset: dataset.name }, statistic: 'Sum', period: fiveMinutes,
    });
    alertWhen(this, 'ErrorsKeptAlarm', pullMetric(pullSettings.PULL_METRICS.errorsKept), 1,
      `The ${dataset.name} API answered with something that is not data; it is kept under ${errorsPrefix(dataset.name)}${API_FOLDER}/ with the reason, and the next run asks again.`, props.alertsTopic);
    alertWhen(this, 'GaveUpAlarm', pullMetric(pullSettings.PULL_METRICS.gaveUp), 1,
      `The ${dataset.name} API pull gave up on a request (retries or time budget spent); the next run catches the period up.`, props.alertsTopic);
    alertWhen(this, 'ErrorsAlarm', fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), 1, `The ${dataset.name} API pull failed.`, props.alertsTopic);
    alertWhen(this, 'ThrottlesAlarm', fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), 1, `The ${dataset.name} API pull was throttled.`, props.alertsTopic);
  }
}

/** Whether the LoB deploys an API pull in this environment (its logs then need the ingest key). */
export function hasApiPulls(lob: LobConfig, environment: string): boolean {
  return lob.datasets.some((dataset) => dataset.source?.api?.environments[environment] !== undefined);
}

export interface ApiPullsProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  readonly rawKey: IKey;
  readonly logKey: IKey;
  readonly alertsTopic: sns.ITopic;
  readonly removalPolicy: RemovalPolicy;
}

/** A pull for every API source with a secret in this environment. */
export function addApiPulls(scope: Construct, props: ApiPullsProps): ApiPull[] {
  return props.lob.datasets.flatMap((dataset) => {
    const source = dataset.source?.api;
    const deployment = source?.environments[props.names.environment] as ApiDeployment | undefined;
    return source && deployment ? [new ApiPull(scope, `${dataset.name}-api-pull`, { ...props, dataset, source, deployment })] : [];
  });
}

/**
 * An API source without a secret in this environment deploys nothing there, so the sample and a
 * new source synthesize before the secret exists; synth warns on `scope` (a stack of the LoB),
 * naming the file and field to set.
 */
export function warnUndeployedApiSources(scope: Construct, lob: LobConfig, environment: string): void {
  lob.datasets.forEach((dataset, index) => {
    const source = dataset.source?.api;
    if (!source || source.environments[environment] !== undefined) return;
    Annotations.of(scope).addWarningV2(`lakeworks:api-source-not-deployed:${dataset.name}`,
      `${lob.name} dataset ${dataset.name}: the API pull is disabled in environment ${environment} until a secret is configured: set `
      + `datasets[${index}].source.api.environments.${environment}.secretArn in config/lobs/${lob.name}.yaml to the Secrets Manager secret holding the API key (docs/api-sources.md).`);
  });
}

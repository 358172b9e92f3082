/**
 * Raw to standardized, for one line of business in one environment:
 * raw Object Created (EventBridge) -> SQS queue (KMS, dead-letter queue after 3 receives) ->
 * transform Lambda (partial batch responses) -> typed Parquet and quarantine in standardized.
 *
 * The Lambda's role holds exactly what it uses: read raw `landing/` and `stream/`, decrypt with the
 * raw key, write and delete in standardized (reading back only its outputs records), encrypt with the standardized key, consume its queue.
 * Alarms (dead letters, backlog age, errors, throttles) publish to the LoB's alerts topic.
 *
 * The stack also holds the LoB's operations (lib/constructs/lob-operations.ts): the KMS key of its
 * queues, alerts and logs, and the alerts topic the ingest and curation stacks publish to.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { splitBundled } from '../../contract/lambda-environment';
import { TRANSFORMED_PREFIXES } from '../../contract/raw-layout';
import { OUTPUTS_PREFIX, unreadablePrefix } from '../../contract/standardized-layout';
import * as transformSettings from '../../contract/transform-settings';
import { acknowledgeRule, acknowledgeWildcardResources } from '../compliance/security-baseline';
import { acknowledgeSynchronousLambda, lakeworksFunction } from '../constructs/lakeworks-function';
import type { LobConfig } from '../config/lob-schema';
import { type NameScope, dataBucketName, lambdaLogGroupName, lobResourceName, lobRoleName } from '../config/names';
import { bucketArn, consumeEncryptedQueue, listBucket, logsWrite, objectArns, readObjects, writeObjects, xrayWrite } from '../permissions';
import { alertWhen } from '../constructs/alert-alarm';
import { LobOperations } from '../constructs/lob-operations';
import { LakeParameters } from '../constructs/lake-parameters';
import type { StorageStack } from './storage-stack';
import { removalPolicyFor } from './removal-policy';

export interface TransformStackProps extends StackProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  readonly storage: StorageStack;
  readonly allowDataDestruction: boolean;
}

/** SQS delivers a message this often before moving it to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 3;

export class TransformStack extends Stack {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly function: nodejs.NodejsFunction;
  /** The LoB's operations key and alerts topic, which the ingest and curation stacks publish to. */
  public readonly operations: LobOperations;
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: TransformStackProps) {
    super(scope, id, props);
    const { names, lob, storage } = props;
    const settings = lob.transform;
    const functionName = lobResourceName(names, lob.name, 'transform');
    const removalPolicy = removalPolicyFor(props.allowDataDestruction);

    // The LoB's operations live in this stack, which deployed them first, under the construct id
    // 'Default', which CDK leaves out of logical ids: the key, its alias, the topic and its policy
    // keep the logical ids they had as direct children of the stack. Any other id, or a stack of
    // their own, would replace them on a live lake: a new key (the old one retained, still holding
    // the queues' messages and the logs), and a topic and alias whose fixed names the old ones still
    // hold (docs/changing-a-live-lake.md, "Where the alerts topic lives").
    this.operations = new LobOperations(this, 'Default', {
      names,
      lob: lob.name,
      viaServices: ['sqs'],
      logGroups: [lambdaLogGroupName(functionName)],
      removalPolicy,
    });
    const key = this.operations.key;

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: lobResourceName(names, lob.name, 'transform-dlq'),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeRule(this.deadLetterQueue, ['AwsSolutions'], 'SQS3', 'This is the dead-letter queue of the transform queue; a dead-letter queue of its own would hide failures.');
    acknowledgeRule(this.deadLetterQueue, ['Serverless'], 'SQSRedrivePolicy', 'This is the dead-letter queue; its messages wait for an operator to redrive them after a fix.');

    const timeout = Duration.seconds(settings.timeoutSeconds);
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: lobResourceName(names, lob.name, 'transform'),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      // AWS's guidance for Lambda consumers: at least six times the function timeout.
      visibilityTimeout: Duration.seconds(settings.timeoutSeconds * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    const rawBucket = dataBucketName(names, lob.name, 'raw');
    this.rule = new events.Rule(this, 'RawObjectCreated', {
      ruleName: lobResourceName(names, lob.name, 'raw-object-created'),
      description: `New ${lob.name} raw objects under ${TRANSFORMED_PREFIXES.join(' or ')} go to the transform queue`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [rawBucket] }, object: { key: TRANSFORMED_PREFIXES.map((prefix) => ({ prefix })) } },
      },
      // Events EventBridge cannot deliver (after a day of retries) join the transform's dead letters.
      targets: [new targets.SqsQueue(this.queue, { deadLetterQueue: this.deadLetterQueue, maxEventAge: Duration.hours(24), retryAttempts: 185 })],
    });

    const logGroup = new logs.LogGroup(this, 'TransformLogs', {
      logGroupName: lambdaLogGroupName(functionName),
      retention: settings.logRetentionDays,
      encryptionKey: key,
      removalPolicy,
    });

    const role = this.createRole(names, lob, storage, logGroup);
    this.function = lakeworksFunction(this, 'TransformFunction', {
      functionName,
      description: `Transforms ${lob.name} raw objects into typed Parquet (${names.environment})`,
      entry: 'transform/handler.ts',
      memorySize: settings.memoryMb,
      timeout,
      // Opt-in: the event source's maximum concurrency bounds the function without a reservation.
      reservedConcurrentExecutions: settings.reservedConcurrency,
      concurrencyBoundBy: `the SQS event source runs at most ${settings.maxConcurrency} at once (maximum concurrency)`,
      role,
      logGroup,
      variables: splitBundled(
        transformSettings.toEnvironment(transformSettings.transformSettingsOf(lob, dataBucketName(names, lob.name, 'standardized'))),
        transformSettings.BUNDLED_VARIABLES,
      ),
    });
    const source = new SqsEventSource(this.queue, {
      batchSize: 10, reportBatchItemFailures: true, maxBatchingWindow: Duration.seconds(5), maxConcurrency: settings.maxConcurrency,
    });
    this.function.addEventSource(source);
    acknowledgeRule(this.function, ['Serverless'], 'LambdaEventSourceMappingDestination',
      'SQS event sources take no on-failure destination; the queue\'s redrive policy moves failed messages to the dead-letter queue.');
    acknowledgeSynchronousLambda(this.function, 'the SQS event source; failed messages go to the queue\'s dead-letter queue');

    this.createAlarms(lob);
    new LakeParameters(this, 'Parameters', names, lob.name, {
      'transform/queue-url': this.queue.queueUrl,
      'transform/dead-letter-queue-url': this.deadLetterQueue.queueUrl,
      'transform/function-name': functionName,
      'alerts/topic-arn': this.operations.alertsTopic.topicArn,
    });
  }

  private createRole(names: NameScope, lob: LobConfig, storage: StorageStack, logGroup: logs.LogGroup): iam.Role {
    const rawObjects = objectArns(bucketArn(this, dataBucketName(names, lob.name, 'raw')), TRANSFORMED_PREFIXES);
    const standardizedBucket = bucketArn(this, dataBucketName(names, lob.name, 'standardized'));
    const standardizedObjects = objectArns(standardizedBucket, ['']);
    const outputsRecords = objectArns(standardizedBucket, [OUTPUTS_PREFIX]);
    const policy = new iam.ManagedPolicy(this, 'TransformPolicy', {
      description: `Least privilege for the ${lob.name} transform (${names.environment})`,
      statements: [
        ...readObjects({ sid: 'ReadRawObjects', objects: rawObjects, versions: true, keySid: 'DecryptRaw', keys: [storage.layers.raw.encryptionKey.keyArn] }),
        ...writeObjects({ sid: 'WriteStandardizedObjects', objects: standardizedObjects, keySid: 'EncryptStandardized', keys: [storage.layers.standardized.encryptionKey.keyArn] }),
        // What an earlier transform of the same source wrote (contract/standardized-layout.ts), so a
        // replay replaces it. Listing, unconditionally (S3 checks it without a prefix), is what makes
        // a source's first transform see NoSuchKey rather than AccessDenied.
        ...readObjects({ sid: 'ReadOutputsRecords', objects: outputsRecords, keySid: 'DecryptOutputsRecords', keys: [storage.layers.standardized.encryptionKey.keyArn] }),
        listBucket('ListStandardized', [standardizedBucket]),
        ...consumeEncryptedQueue({ sid: 'ConsumeQueue', queue: this.queue.queueArn, keySid: 'DecryptMessages', key: this.queue.encryptionMasterKey!.keyArn }),
        logsWrite('WriteLogs', [logGroup.logGroupArn]),
        xrayWrite('WriteTraces'),
      ],
    });
    acknowledgeWildcardResources(policy, rawObjects, 'Objects under the raw prefixes the transform reads; keys are not known in advance.');
    acknowledgeWildcardResources(policy, standardizedObjects, 'The transform writes Parquet and quarantine files anywhere in standardized, under keys derived from each source object.');
    acknowledgeWildcardResources(policy, outputsRecords, 'The outputs records of every source the transform has written, under keys derived from each source object.');
    acknowledgeWildcardResources(policy, ['*'], 'X-Ray trace submission supports no resource-level permissions.');
    acknowledgeWildcardResources(policy, [logGroup.logGroupArn], 'The log group ARN ends in :* (all its streams), the form CloudWatch Logs authorizes.');
    return new iam.Role(this, 'TransformRole', {
      roleName: lobRoleName(names, lob.name, 'transform'),
      description: `The ${lob.name} transform Lambda (${names.environment})`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [policy],
    });
  }

  private createAlarms(lob: LobConfig): void {
    const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string) => alertWhen(this, id, metric, threshold, description, this.operations.alertsTopic);
    const fiveMinutes = Duration.minutes(5);
    alarm('DeadLettersAlarm', this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }), 1,
      `A ${lob.name} raw object failed ${MAX_RECEIVE_COUNT} times and is in the dead-letter queue; see ${unreadablePrefix('<dataset>')} and the transform log.`);
    alarm('BacklogAlarm', this.queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: 'Maximum' }), 900,
      `${lob.name} raw objects have waited more than 15 minutes for the transform.`);
    alarm('ErrorsAlarm', this.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), 1, `The ${lob.name} transform Lambda failed an invocation.`);
    alarm('ThrottlesAlarm', this.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), 1,
      `The ${lob.name} transform Lambda was throttled: the account's unreserved Lambda concurrency is used up${lob.transform.reservedConcurrency === undefined ? '' : ' or transform.reservedConcurrency is too low'}. `
      + 'Ask for a higher Lambda concurrency quota, or lower transform.maxConcurrency (messages wait in the queue instead).');
    // Per CSV and Parquet dataset, from the handler's metrics: columns that differ from the schema
    // (drift), or a file that cannot be read as configured (its records are all quarantined).
    const { metricsNamespace, metricsService } = transformSettings.TRANSFORM_IDENTITY;
    for (const dataset of lob.datasets.filter((candidate) => candidate.format === 'csv' || candidate.format === 'parquet')) {
      const parquet = dataset.format === 'parquet';
      const metric = (metricName: string) => new cloudwatch.Metric({
        namespace: metricsNamespace, metricName, dimensionsMap: { service: metricsService, dataset: dataset.name }, period: fiveMinutes, statistic: 'Sum',
      });
      alarm(`SchemaDrift${pascal(dataset.name)}Alarm`, metric('DriftColumns'), 1,
        `A ${lob.name} ${dataset.name} file's ${parquet ? 'columns differ' : 'header differs'} from the dataset's schema (columns added or missing); see the transform log's "schema drift" lines.`);
      alarm(`ObjectsRefused${pascal(dataset.name)}Alarm`, metric('ObjectsRefused'), 1,
        `A ${lob.name} ${dataset.name} file could not be read ${parquet ? 'against the dataset\'s schema (a required column missing, drift or a column type it cannot read)' : 'with its configured CSV dialect'} and its records were quarantined; see the transform log's "object refused" lines.`);
    }
  }
}

const pascal = (name: string) => name.split('_').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');

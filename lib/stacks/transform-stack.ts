/**
 * Raw to standardized, for one line of business in one environment:
 * raw Object Created (EventBridge) -> SQS queue (KMS, dead-letter queue after 3 receives) ->
 * transform Lambda (partial batch responses) -> typed Parquet and quarantine in standardized.
 *
 * The Lambda's role holds exactly what it uses: read raw `landing/` and `stream/`, decrypt with the
 * raw key, write and delete in standardized, encrypt with the standardized key, consume its queue.
 * Alarms (dead letters, backlog age, errors, throttles) publish to the LoB's alerts topic.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { encodeBundledJson } from '../../lambda/transform/bundled-config';
import { acknowledgeRule, acknowledgeWildcardResources } from '../compliance/security-baseline';
import { acknowledgeSynchronousLambda, lakeworksFunction } from '../constructs/lakeworks-function';
import type { LobConfig } from '../config/lob-schema';
import { type NameScope, dataBucketName, lobResourceName, lobRoleName } from '../config/names';
import { alertWhen } from '../constructs/alert-alarm';
import { OperationsKey } from '../constructs/operations-key';
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
/** Raw prefixes the transform reads: batch uploads and Firehose deliveries. */
export const TRANSFORMED_PREFIXES = ['landing/', 'stream/'] as const;

export class TransformStack extends Stack {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly function: nodejs.NodejsFunction;
  public readonly alertsTopic: sns.Topic;
  /** Encrypts the alerts topic: publishers need GenerateDataKey and Decrypt on it. */
  public readonly alertsKey: IKey;
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: TransformStackProps) {
    super(scope, id, props);
    const { names, lob, storage } = props;
    const settings = lob.transform;
    const functionName = lobResourceName(names, lob.name, 'transform');
    const removalPolicy = removalPolicyFor(props.allowDataDestruction);

    const key = new OperationsKey(this, 'OperationsKey', {
      alias: `alias/${names.organisation}/${names.environment}/${lob.name}/operations`,
      description: `Encrypts ${lob.name} queues, alerts and logs (${names.environment})`,
      viaServices: ['sqs', 'sns'],
      logGroups: [`/aws/lambda/${lobResourceName(names, lob.name, 'transform')}`],
      removalPolicy,
    }).key;

    this.alertsKey = key;
    this.alertsTopic = new sns.Topic(this, 'Alerts', {
      topicName: lobResourceName(names, lob.name, 'alerts'),
      displayName: `Lakeworks ${lob.name} (${names.environment}) alerts`,
      masterKey: key,
      enforceSSL: true,
    });

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
      logGroupName: `/aws/lambda/${functionName}`,
      retention: settings.logRetentionDays as logs.RetentionDays,
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
      reservedConcurrentExecutions: settings.reservedConcurrency,
      role,
      logGroup,
      environment: {
        STANDARDIZED_BUCKET: dataBucketName(names, lob.name, 'standardized'),
        ROW_GROUP_ROWS: String(settings.rowGroupRows),
        PARQUET_INTEGER_ENCODING: settings.parquetIntegerEncoding,
        POWERTOOLS_SERVICE_NAME: 'lakeworks-transform',
        POWERTOOLS_METRICS_NAMESPACE: 'Lakeworks',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundled: { LAKEWORKS_DATASETS: encodeBundledJson(lob.datasets) },
    });
    const source = new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxBatchingWindow: Duration.seconds(5) });
    this.function.addEventSource(source);
    acknowledgeRule(this.function, ['Serverless'], 'LambdaEventSourceMappingDestination',
      'SQS event sources take no on-failure destination; the queue\'s redrive policy moves failed messages to the dead-letter queue.');
    acknowledgeSynchronousLambda(this.function, 'the SQS event source; failed messages go to the queue\'s dead-letter queue');

    this.createAlarms(lob);
    new LakeParameters(this, 'Parameters', names, lob.name, {
      'transform/queue-url': this.queue.queueUrl,
      'transform/dead-letter-queue-url': this.deadLetterQueue.queueUrl,
      'transform/function-name': functionName,
      'alerts/topic-arn': this.alertsTopic.topicArn,
    });
  }

  private createRole(names: NameScope, lob: LobConfig, storage: StorageStack, logGroup: logs.LogGroup): iam.Role {
    const raw = `arn:${this.partition}:s3:::${dataBucketName(names, lob.name, 'raw')}`;
    const standardized = `arn:${this.partition}:s3:::${dataBucketName(names, lob.name, 'standardized')}`;
    const rawObjects = TRANSFORMED_PREFIXES.map((prefix) => `${raw}/${prefix}*`);
    const standardizedObjects = [`${standardized}/*`];
    const policy = new iam.ManagedPolicy(this, 'TransformPolicy', {
      description: `Least privilege for the ${lob.name} transform (${names.environment})`,
      statements: [
        new iam.PolicyStatement({ sid: 'ReadRawObjects', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: rawObjects }),
        new iam.PolicyStatement({ sid: 'DecryptRaw', actions: ['kms:Decrypt'], resources: [storage.layers.raw.encryptionKey.keyArn] }),
        new iam.PolicyStatement({ sid: 'WriteStandardizedObjects', actions: ['s3:PutObject', 's3:DeleteObject'], resources: standardizedObjects }),
        new iam.PolicyStatement({ sid: 'EncryptStandardized', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [storage.layers.standardized.encryptionKey.keyArn] }),
        new iam.PolicyStatement({
          sid: 'ConsumeQueue',
          actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          resources: [this.queue.queueArn],
        }),
        new iam.PolicyStatement({ sid: 'DecryptMessages', actions: ['kms:Decrypt'], resources: [this.queue.encryptionMasterKey!.keyArn] }),
        new iam.PolicyStatement({ sid: 'WriteLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroup.logGroupArn}`] }),
        new iam.PolicyStatement({ sid: 'WriteTraces', actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] }),
      ],
    });
    acknowledgeWildcardResources(policy, rawObjects, 'Objects under the raw prefixes the transform reads; keys are not known in advance.');
    acknowledgeWildcardResources(policy, standardizedObjects, 'The transform writes Parquet and quarantine files anywhere in standardized, under keys derived from each source object.');
    acknowledgeWildcardResources(policy, ['*'], 'X-Ray trace submission supports no resource-level permissions.');
    acknowledgeWildcardResources(policy, [`${logGroup.logGroupArn}`], 'The log group ARN ends in :* (all its streams), the form CloudWatch Logs authorizes.');
    return new iam.Role(this, 'TransformRole', {
      roleName: lobRoleName(names, lob.name, 'transform'),
      description: `The ${lob.name} transform Lambda (${names.environment})`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [policy],
    });
  }

  private createAlarms(lob: LobConfig): void {
    const alarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string) => alertWhen(this, id, metric, threshold, description, this.alertsTopic);
    const fiveMinutes = Duration.minutes(5);
    alarm('DeadLettersAlarm', this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }), 1,
      `A ${lob.name} raw object failed ${MAX_RECEIVE_COUNT} times and is in the dead-letter queue; see quarantine/<dataset>/unreadable/ and the transform log.`);
    alarm('BacklogAlarm', this.queue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes, statistic: 'Maximum' }), 900,
      `${lob.name} raw objects have waited more than 15 minutes for the transform.`);
    alarm('ErrorsAlarm', this.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), 1, `The ${lob.name} transform Lambda failed an invocation.`);
    alarm('ThrottlesAlarm', this.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), 1,
      `The ${lob.name} transform Lambda was throttled: raise transform.reservedConcurrency.`);
  }
}

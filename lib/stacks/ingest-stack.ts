/**
 * Ingest of one line of business in one environment: the scheduled pulls of datasets with a
 * `source.api` (lib/ingest/api-pull.ts) or `source.database` (lib/ingest/database-pull.ts), and,
 * for each dataset with `ingest: stream`: [Kinesis Data Stream (on-demand, KMS) ->] Firehose -> raw
 * `stream/<dataset>/ingest_date=YYYY-MM-DD/…`, GZIP, SSE-KMS with the raw key.
 *
 * A processor Lambda validates and normalizes each record against the dataset schema and supplies
 * the `ingest_date` partition key (dynamic partitioning). Records it rejects come back as
 * ProcessingFailed and Firehose writes them under `errors/<dataset>/…`; nothing is dropped.
 * Alarms on data freshness, processor errors and throttles publish to the LoB's alerts topic.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { splitBundled } from '../../contract/lambda-environment';
import * as processorSettings from '../../contract/processor-settings';
import { errorsPrefix, firehoseDeliveryPrefix, firehoseErrorPrefix, rawPrefix } from '../../contract/raw-layout';
import { acknowledgeRule, acknowledgeWildcardResources } from '../compliance/security-baseline';
import { DATASET_ROLE_PURPOSES } from '../config/dataset-roles';
import type { DatasetConfig, LobConfig } from '../config/lob-schema';
import {
  type NameScope, dataBucketName, datasetResourceName, datasetRoleName, firehoseLogGroupName, lambdaLogGroupName, lobKeyAlias, lobResourceName,
} from '../config/names';
import { bucketArn, logStreamArn, logsWrite, objectArns, xrayWrite } from '../permissions';
import { acknowledgeSynchronousLambda, lakeworksFunction } from '../constructs/lakeworks-function';
import { alertWhen } from '../constructs/alert-alarm';
import { API_PULL_SUFFIX, addApiPulls, hasApiPulls } from '../ingest/api-pull';
import { addDatabasePulls } from '../ingest/database-pull';
import { OperationsKey } from '../constructs/operations-key';
import type { StorageStack } from './storage-stack';
import { removalPolicyFor } from './removal-policy';

export interface IngestStackProps extends StackProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  readonly storage: StorageStack;
  readonly alertsTopic: sns.ITopic;
  /** Encrypts the alerts topic: database pull failures publish to it through a role. */
  readonly alertsKey: IKey;
  readonly allowDataDestruction: boolean;
}

/** Firehose retries a failed processor invocation this often before writing the records to errors/. */
export const PROCESSOR_RETRIES = 3;

export class IngestStack extends Stack {
  /** Delivery streams by dataset name. */
  public readonly deliveryStreams = new Map<string, firehose.CfnDeliveryStream>();
  public readonly processors = new Map<string, lambda.IFunction>();

  constructor(scope: Construct, id: string, props: IngestStackProps) {
    super(scope, id, props);
    const { names, lob } = props;
    const streamDatasets = lob.datasets.filter((dataset) => dataset.ingest === 'stream');
    const removalPolicy = removalPolicyFor(props.allowDataDestruction);
    const key = new OperationsKey(this, 'IngestKey', {
      alias: lobKeyAlias(names, lob.name, 'ingest'),
      description: `Encrypts ${lob.name} streams and ingest logs (${names.environment})`,
      viaServices: ['kinesis'],
      logGroups: [
        lambdaLogGroupName(lobResourceName(names, lob.name, '*-processor')), firehoseLogGroupName(lobResourceName(names, lob.name, '*')),
        ...(hasApiPulls(lob, names.environment) ? [lambdaLogGroupName(lobResourceName(names, lob.name, `*-${API_PULL_SUFFIX}`))] : []),
      ],
      removalPolicy,
    }).key;
    for (const dataset of streamDatasets) {
      const ingest = new DatasetIngest(this, dataset.name, { ...props, dataset, key, removalPolicy });
      this.deliveryStreams.set(dataset.name, ingest.deliveryStream);
      this.processors.set(dataset.name, ingest.processor);
    }
    addDatabasePulls(this, { names, lob, rawKey: props.storage.layers.raw.encryptionKey, alertsTopic: props.alertsTopic, alertsKey: props.alertsKey });
    addApiPulls(this, { names, lob, rawKey: props.storage.layers.raw.encryptionKey, logKey: key, alertsTopic: props.alertsTopic, removalPolicy });
  }
}

interface DatasetIngestProps extends IngestStackProps {
  readonly dataset: DatasetConfig;
  readonly key: IKey;
  readonly removalPolicy: RemovalPolicy;
}

/** The ingest path of one stream dataset. */
class DatasetIngest extends Construct {
  public readonly deliveryStream: firehose.CfnDeliveryStream;
  public readonly processor: lambda.IFunction;

  constructor(scope: Construct, id: string, props: DatasetIngestProps) {
    super(scope, id);
    const { names, lob, dataset, key, storage } = props;
    const stack = Stack.of(this);
    const settings = dataset.stream ?? { kinesisDataStream: false, bufferSizeMb: 64, bufferIntervalSeconds: 60 };
    const streamName = datasetResourceName(names, lob.name, dataset.name);

    // The processor: validate, normalize, partition by arrival date.
    const processorName = datasetResourceName(names, lob.name, dataset.name, 'processor');
    const processorLogs = new logs.LogGroup(this, 'ProcessorLogs', {
      logGroupName: lambdaLogGroupName(processorName), retention: lob.ingest.logRetentionDays, encryptionKey: key, removalPolicy: props.removalPolicy,
    });
    const processorPolicy = new iam.ManagedPolicy(this, 'ProcessorPolicy', {
      description: `The ${dataset.name} Firehose record processor (${names.environment})`,
      statements: [
        logsWrite('WriteLogs', [processorLogs.logGroupArn]),
        xrayWrite('WriteTraces'),
      ],
    });
    acknowledgeWildcardResources(processorPolicy, ['*'], 'X-Ray trace submission supports no resource-level permissions.');
    acknowledgeWildcardResources(processorPolicy, [processorLogs.logGroupArn], 'The log group ARN ends in :* (all its streams), the form CloudWatch Logs authorizes.');
    const processorRole = new iam.Role(this, 'ProcessorRole', {
      roleName: datasetRoleName(names, lob.name, dataset.name, DATASET_ROLE_PURPOSES.streamProcessor),
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [processorPolicy],
    });
    this.processor = lakeworksFunction(this, 'Processor', {
      functionName: processorName,
      description: `Validates and normalizes ${dataset.name} records for Firehose (${names.environment})`,
      entry: 'ingest/processor.ts',
      memorySize: lob.ingest.processor.memoryMb,
      timeout: Duration.minutes(1),
      // No reservation: a small account's quota could not hold one per stream dataset.
      concurrencyBoundBy: 'its only caller is the dataset\'s Firehose delivery stream, which retries a throttled invocation and then writes the records under errors/',
      role: processorRole,
      logGroup: processorLogs,
      variables: splitBundled(processorSettings.toEnvironment({ dataset }), processorSettings.BUNDLED_VARIABLES),
    });
    acknowledgeSynchronousLambda(this.processor, 'Firehose, which retries and then writes the records under errors/');

    // Optional Kinesis Data Stream in front of Firehose.
    let source: kinesis.Stream | undefined;
    if (settings.kinesisDataStream) {
      source = new kinesis.Stream(this, 'Stream', {
        streamName, streamMode: kinesis.StreamMode.ON_DEMAND, encryption: kinesis.StreamEncryption.KMS, encryptionKey: key, retentionPeriod: Duration.days(7),
        removalPolicy: props.removalPolicy,
      });
      acknowledgeRule(source, ['AwsSolutions'], 'KDS3',
        'A customer-managed key keeps stream data under the same key policy and rotation as the rest of the LoB\'s ingest; the extra KMS cost is accepted.');
    }

    const rawBucket = bucketArn(stack, dataBucketName(names, lob.name, 'raw'));
    const firehoseLogs = new logs.LogGroup(this, 'DeliveryLogs', {
      logGroupName: firehoseLogGroupName(streamName), retention: lob.ingest.logRetentionDays, encryptionKey: key, removalPolicy: props.removalPolicy,
    });
    const deliveryLogStream = new logs.LogStream(this, 'DeliveryLogStream', { logGroup: firehoseLogs, logStreamName: 'S3Delivery', removalPolicy: props.removalPolicy });
    const datasetObjects = objectArns(rawBucket, [rawPrefix(dataset.name, 'stream'), errorsPrefix(dataset.name)]);
    const deliveryStatements = [
      new iam.PolicyStatement({ sid: 'LocateBucket', actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'], resources: [rawBucket] }),
      new iam.PolicyStatement({ sid: 'WriteDatasetObjects', actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'], resources: datasetObjects }),
      new iam.PolicyStatement({ sid: 'EncryptWithRawKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [storage.layers.raw.encryptionKey.keyArn] }),
      new iam.PolicyStatement({ sid: 'InvokeProcessor', actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'], resources: [this.processor.functionArn] }),
      new iam.PolicyStatement({ sid: 'WriteDeliveryLogs', actions: ['logs:PutLogEvents'], resources: [logStreamArn(stack, firehoseLogs.logGroupName, deliveryLogStream.logStreamName)] }),
    ];
    if (source) {
      deliveryStatements.push(
        new iam.PolicyStatement({ sid: 'ReadStream', actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:GetRecords', 'kinesis:ListShards'], resources: [source.streamArn] }),
        new iam.PolicyStatement({ sid: 'DecryptStream', actions: ['kms:Decrypt'], resources: [key.keyArn] }),
      );
    }
    const deliveryPolicy = new iam.ManagedPolicy(this, 'DeliveryPolicy', { description: `Firehose delivery of ${dataset.name} into raw (${names.environment})`, statements: deliveryStatements });
    acknowledgeWildcardResources(deliveryPolicy, datasetObjects, 'Objects under the dataset\'s stream/ and errors/ prefixes; Firehose names them.');
    const deliveryRole = new iam.Role(this, 'DeliveryRole', {
      roleName: datasetRoleName(names, lob.name, dataset.name, DATASET_ROLE_PURPOSES.streamDelivery),
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      managedPolicies: [deliveryPolicy],
    });

    // CloudFormation's resource rather than aws-cdk-lib's DeliveryStream L2 (aws-kinesisfirehose):
    // the L2 covers dynamic partitioning, a Lambda processor, the error prefix, SSE, buffering and a
    // Kinesis source, but
    // - its S3Bucket destination grants the role `bucket.grantReadWrite` (s3:GetObject*, List*,
    //   DeleteObject*, PutObjectRetention, ... on the whole raw bucket), Encrypt and ReEncrypt on the
    //   raw key and invoke on every version of the processor, in an inline policy; this role may
    //   only write under the dataset's stream/ and errors/ prefixes. A role passed
    //   `withoutPolicyUpdates()` silences those grants, and then the L2 adds nothing of its own;
    // - its logging always adds a log stream of a generated name with a RETAIN policy
    //   (`logGroup.addStream('S3Destination')`), where this one is named and follows the removal
    //   policy, and the delivery policy names it;
    // - its Lambda processor adds a `RoleArn` parameter and reorders the others;
    // - its resource sits at `<id>/Resource`, a new logical id: CloudFormation would replace the
    //   live delivery stream (records it still buffers are lost) and cannot create the new one
    //   while the old holds its fixed name.
    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamName: streamName,
      deliveryStreamType: source ? 'KinesisStreamAsSource' : 'DirectPut',
      kinesisStreamSourceConfiguration: source ? { kinesisStreamArn: source.streamArn, roleArn: deliveryRole.roleArn } : undefined,
      deliveryStreamEncryptionConfigurationInput: source ? undefined : { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: rawBucket,
        roleArn: deliveryRole.roleArn,
        prefix: firehoseDeliveryPrefix(dataset.name),
        errorOutputPrefix: firehoseErrorPrefix(dataset.name),
        bufferingHints: { sizeInMBs: settings.bufferSizeMb, intervalInSeconds: settings.bufferIntervalSeconds },
        compressionFormat: 'GZIP',
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: storage.layers.raw.encryptionKey.keyArn } },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: firehoseLogs.logGroupName, logStreamName: deliveryLogStream.logStreamName },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [{
            type: 'Lambda',
            parameters: [
              { parameterName: 'LambdaArn', parameterValue: this.processor.functionArn },
              { parameterName: 'NumberOfRetries', parameterValue: String(PROCESSOR_RETRIES) },
              { parameterName: 'BufferSizeInMBs', parameterValue: '1' },
              { parameterName: 'BufferIntervalInSeconds', parameterValue: '60' },
            ],
          }],
        },
        s3BackupMode: 'Disabled',
      },
    });
    // The stream names its role by GetAtt: CloudFormation creates the role (policy attached) first.
    if (source) {
      acknowledgeRule(this.deliveryStream, ['AwsSolutions'], 'KDF1',
        'Reading from a Kinesis stream, records are encrypted by the stream\'s KMS key; Firehose accepts no SSE setting for stream sources.');
    }

    const alarm = (alarmId: string, metric: cloudwatch.IMetric, threshold: number, description: string) => alertWhen(this, alarmId, metric, threshold, description, props.alertsTopic);
    const fiveMinutes = Duration.minutes(5);
    // Fresh data is at most one buffer interval old; allow Firehose's retries on top.
    const freshnessSeconds = settings.bufferIntervalSeconds + 900;
    alarm('FreshnessAlarm', new cloudwatch.Metric({
      namespace: 'AWS/Firehose', metricName: 'DeliveryToS3.DataFreshness', dimensionsMap: { DeliveryStreamName: streamName }, statistic: 'Maximum', period: fiveMinutes,
    }), freshnessSeconds, `${dataset.name} records waited more than ${freshnessSeconds}s to reach raw: delivery to S3 is failing or falling behind.`);
    alarm('ProcessorErrorsAlarm', this.processor.metricErrors({ period: fiveMinutes, statistic: 'Sum' }), 1,
      `The ${dataset.name} record processor failed; Firehose retries, then writes the batch under errors/.`);
    alarm('ProcessorThrottlesAlarm', this.processor.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }), 1,
      `The ${dataset.name} record processor was throttled.`);
    alarm('ProcessingFailedAlarm', new cloudwatch.Metric({
      namespace: processorSettings.PROCESSOR_IDENTITY.metricsNamespace, metricName: processorSettings.PROCESSOR_METRICS.rejected,
      dimensionsMap: { service: processorSettings.PROCESSOR_IDENTITY.metricsService, dataset: dataset.name }, statistic: 'Sum', period: fiveMinutes,
    }), 1, `${dataset.name} records failed validation and were written under ${errorsPrefix(dataset.name)}.`);
  }
}

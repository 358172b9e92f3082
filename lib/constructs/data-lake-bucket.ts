/**
 * One storage layer of a line of business: an S3 bucket and the KMS key that encrypts it, with
 * the security baseline built in so no caller can forget a piece of it.
 *
 * - SSE-KMS with the layer's own key and S3 bucket keys (fewer KMS calls, lower cost); a bucket
 *   policy refuses uploads that ask for any other key or encryption type.
 * - Versioning, Block Public Access, bucket-owner-enforced ownership (no ACLs), TLS 1.2+ only.
 * - Server access logs to the account's shared log bucket, date-partitioned so Athena can read them.
 * - Lifecycle: abort stale multipart uploads, expire old versions, transitions from config.
 * - RETAIN by default: deleting a stack never deletes data unless the environment opts in.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { COMPLIANCE_PACKS, acknowledgeRule } from '../compliance/security-baseline';
import { ABORT_INCOMPLETE_UPLOAD_DAYS } from '../config/lifecycle-defaults';
import type { LifecycleConfig } from '../config/lob-schema';
import { LayerKey } from './layer-key';
import { BUCKET_BASELINE } from './bucket-baseline';

export interface DataLakeBucketProps {
  readonly bucketName: string;
  /** Bring your own key; by default a LayerKey is created with `keyAlias`. */
  readonly encryptionKey?: kms.IKey;
  /** Alias of the key created when `encryptionKey` is not given. */
  readonly keyAlias?: string;
  /** What the bucket holds, for the key's description. */
  readonly purpose: string;
  readonly accessLogsBucket: s3.IBucket;
  /** Prefix of this bucket's access logs in the log bucket. */
  readonly accessLogsPrefix: string;
  readonly lifecycle: LifecycleConfig;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Passed to the created LayerKey: log groups CloudWatch Logs may encrypt with it. */
  readonly cloudWatchLogGroups?: string;
  /** Passed to the created LayerKey: roles that may use it directly, not only through S3. */
  readonly directKeyUserRoleArns?: readonly string[];
  /** Send every object event to EventBridge (set natively on the bucket, no custom resource). */
  readonly eventBridge?: boolean;
}

export class DataLakeBucket extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: DataLakeBucketProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    if (!props.encryptionKey && !props.keyAlias) {
      throw new Error(`DataLakeBucket ${this.node.path}: give either encryptionKey or keyAlias`);
    }
    this.encryptionKey = props.encryptionKey
      ?? new LayerKey(this, 'Key', {
      alias: props.keyAlias!, description: `Encrypts ${props.purpose} (${props.bucketName})`, removalPolicy, cloudWatchLogGroups: props.cloudWatchLogGroups, directUserRoleArns: props.directKeyUserRoleArns,
    }).key;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      ...BUCKET_BASELINE,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: props.accessLogsPrefix,
      targetObjectKeyFormat: s3.TargetObjectKeyFormat.partitionedPrefix(s3.PartitionDateSource.EVENT_TIME),
      lifecycleRules: [lifecycleRule(props.lifecycle)],
      removalPolicy,
    });

    if (props.eventBridge) {
      (this.bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    }

    // Default encryption covers uploads that name no key; this covers those that name another one.
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyUploadsNotEncryptedWithTheLayerKey',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects('*')],
      conditions: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.encryptionKey.keyArn } },
    }));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyUploadsWithOtherEncryptionTypes',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects('*')],
      conditions: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    }));

    Validations.of(this.bucket).acknowledge({
      id: '@aws-cdk/aws-s3:accessLogsPolicyNotAdded',
      reason: 'The log bucket lives in PlatformStack, whose policy lets logging.s3.amazonaws.com deliver for every bucket of the account.',
    });
    acknowledgeRule(this.bucket, COMPLIANCE_PACKS, 'S3BucketReplicationEnabled',
      'Cross-region replication is a per-LoB disaster-recovery choice with cost and data-residency impact; versioning and RETAIN protect data within the region.');
  }
}

function lifecycleRule(lifecycle: LifecycleConfig): s3.LifecycleRule {
  return {
    id: 'layer-lifecycle',
    abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_UPLOAD_DAYS),
    noncurrentVersionExpiration: lifecycle.expireNoncurrentAfterDays !== undefined ? Duration.days(lifecycle.expireNoncurrentAfterDays) : undefined,
    expiration: lifecycle.expireAfterDays !== undefined ? Duration.days(lifecycle.expireAfterDays) : undefined,
    transitions: (lifecycle.transitions ?? []).map((transition) => ({
      storageClass: new s3.StorageClass(transition.storageClass),
      transitionAfter: Duration.days(transition.afterDays),
    })),
  };
}

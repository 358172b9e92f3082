/**
 * Where the delivery pipeline keeps its artifacts: a bucket encrypted with its own KMS key, with
 * the same baseline as the lake's buckets (TLS only, no public access, versioning, access logs).
 * CDK Pipelines grants the deploy roles of the target accounts read access to both when it adds
 * their stages, which is what makes cross-account deployment work with a key we own.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { COMPLIANCE_PACKS, acknowledgeRule } from '../compliance/security-baseline';
import { ABORT_INCOMPLETE_UPLOAD_DAYS } from '../config/lifecycle-defaults';
import { AccessLogBucket } from './access-log-bucket';
import { BUCKET_BASELINE } from './bucket-baseline';

/** A run needs its artifacts for minutes; a month covers retries and investigating a failed run. */
export const ARTIFACT_RETENTION_DAYS = 30;
/** Access logs of the artifact bucket: the audit trail of who read what the pipeline deployed. */
export const ARTIFACT_ACCESS_LOG_RETENTION_DAYS = 365;

export interface PipelineArtifactsProps {
  /** Alias of the artifact key, without `alias/`. */
  readonly keyAlias: string;
}

export class PipelineArtifacts extends Construct {
  public readonly key: kms.Key;
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: PipelineArtifactsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      alias: props.keyAlias,
      description: 'Encrypts the Lakeworks delivery pipeline\'s artifacts and build outputs',
      enableKeyRotation: true,
      // Deleting the key would make past artifacts and build logs unreadable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs = new AccessLogBucket(this, 'AccessLogs', { retentionDays: ARTIFACT_ACCESS_LOG_RETENTION_DAYS });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      ...BUCKET_BASELINE,
      lifecycleRules: [{
        id: 'artifact-retention',
        expiration: Duration.days(ARTIFACT_RETENTION_DAYS),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_UPLOAD_DAYS),
      }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Set on the L1: the L2's serverAccessLogsBucket would, without a cdk.json feature flag, grant
    // delivery through an ACL that the log bucket's BucketOwnerEnforced setting forbids. The log
    // bucket's policy already lets the S3 logging service deliver.
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: accessLogs.bucketName,
      logFilePrefix: 'artifacts/',
    };
    acknowledgeRule(this.bucket, COMPLIANCE_PACKS, 'S3BucketReplicationEnabled',
      'Pipeline artifacts are rebuilt from the source repository by the next run; a replica would add cost, not resilience.');
  }
}

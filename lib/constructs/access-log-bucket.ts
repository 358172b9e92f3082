/**
 * A bucket that receives S3 server access logs. It extends `s3.Bucket` (rather than wrapping one)
 * so that stacks which created a plain bucket before keep the same logical id.
 *
 * Redeploying after a destroy: the bucket is retained (DeletionPolicy and UpdateReplacePolicy
 * Retain) under the name every data bucket logs to, so deleting its stack leaves it behind, and a
 * plain redeploy then fails with "<name> already exists". The name stays fixed on purpose: data
 * buckets of every environment sharing the account find it by that name, and a new name would split
 * the logs. Instead the stack adopts the retained bucket: deploy the platform stack once with
 * `npx cdk deploy '<env>/platform' --import-existing-resources`, which makes CloudFormation import
 * resources of the template that have a custom name and already exist (the bucket) instead of
 * creating them. That is a change-set deployment, so it is run from a laptop, not by the pipeline,
 * whose CloudFormation actions cannot import. See docs/operations.md, "Redeploying after a destroy".
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { COMPLIANCE_PACKS, acknowledgeRule } from '../compliance/security-baseline';
import { ABORT_INCOMPLETE_UPLOAD_DAYS } from '../config/lifecycle-defaults';
import { BUCKET_BASELINE } from './bucket-baseline';

export interface AccessLogBucketProps {
  /** @default a name CloudFormation generates */
  readonly bucketName?: string;
  readonly retentionDays: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export class AccessLogBucket extends s3.Bucket {
  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id, {
      bucketName: props.bucketName,
      // S3 server access logging can only deliver to buckets encrypted with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      ...BUCKET_BASELINE,
      lifecycleRules: [{
        id: 'log-retention',
        expiration: Duration.days(props.retentionDays),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_UPLOAD_DAYS),
      }],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Buckets in other stacks cannot add this themselves: let the S3 logging service deliver logs
    // for any bucket of this account, and nothing else.
    this.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'S3ServerAccessLogsFromThisAccount',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));

    acknowledgeRule(this, ['AwsSolutions'], 'S1', 'Access-log bucket: logging it into itself would loop; reads of it are recorded by CloudTrail.');
    acknowledgeRule(this, COMPLIANCE_PACKS, 'S3BucketLoggingEnabled', 'Access-log bucket: logging it into itself would loop; reads of it are recorded by CloudTrail.');
    acknowledgeRule(this, COMPLIANCE_PACKS, 'S3DefaultEncryptionKMS', 'Access-log bucket: S3 server access logging only delivers to buckets encrypted with SSE-S3.');
    acknowledgeRule(this, COMPLIANCE_PACKS, 'S3BucketReplicationEnabled',
      'Access-log bucket: logs are diagnostic records of this region; replicating them elsewhere adds cost, not resilience of the data.');
  }
}

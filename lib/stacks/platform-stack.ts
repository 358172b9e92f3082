/**
 * Resources that exist once per AWS account and region, shared by every environment and line of
 * business deployed there: the server access-log bucket every data bucket logs to, the Lake
 * Formation settings (administrators, no IAMAllowedPrincipals defaults) and the LF-tag definitions.
 *
 * When two environments share an account and region, only the first of them in config order
 * holds this stack (see DataLakeStage); its name carries no environment so that it stays the same
 * CloudFormation stack whichever environment owns it.
 */
import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { COMPLIANCE_PACKS, acknowledgeRule } from '../compliance/security-baseline';
import { ABORT_INCOMPLETE_UPLOAD_DAYS } from '../config/lifecycle-defaults';
import { accessLogBucketName } from '../config/names';
import { LakeFormationSettings } from '../governance/lake-formation-settings';
import { lfTagDefinitions } from '../governance/lf-tags';
import type { AccountSettings } from '../config/platform-schema';

export interface PlatformStackProps extends StackProps {
  readonly organisation: string;
  readonly accountSettings: AccountSettings;
  /** Environments sharing this account and region: the values of the `environment` LF-tag. */
  readonly environments: readonly string[];
  /** Every configured LoB: the values of the `lob` LF-tag. */
  readonly lobs: readonly string[];
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export class PlatformStack extends Stack {
  public readonly accessLogBucket: s3.Bucket;
  public readonly lakeFormationSettings: LakeFormationSettings;
  /** LF-tag definitions by key; attached and granted on by the LoB governance stacks. */
  public readonly lfTags: ReadonlyMap<string, lakeformation.CfnTag>;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      bucketName: accessLogBucketName({ organisation: props.organisation, account: this.account, region: this.region }),
      // S3 server access logging can only deliver to buckets encrypted with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{
        id: 'log-retention',
        expiration: Duration.days(props.accountSettings.accessLogRetentionDays),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(ABORT_INCOMPLETE_UPLOAD_DAYS),
      }],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Data buckets live in other stacks and cannot add this themselves: let the S3 logging service
    // deliver logs for any bucket of this account, and nothing else.
    this.accessLogBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'S3ServerAccessLogsFromThisAccount',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.accessLogBucket.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
    }));

    this.lakeFormationSettings = new LakeFormationSettings(this, 'LakeFormation', { admins: props.accountSettings.lakeFormationAdmins });
    const lfTags = new Map<string, lakeformation.CfnTag>();
    for (const [key, values] of Object.entries(lfTagDefinitions(props.environments, props.lobs))) {
      const tag = new lakeformation.CfnTag(this, `LfTag-${key}`, { catalogId: this.account, tagKey: key, tagValues: values });
      // Tags are created by the admins the settings make, so the settings come first.
      tag.addResourceDependency(this.lakeFormationSettings.settings);
      lfTags.set(key, tag);
    }
    this.lfTags = lfTags;

    const logBucket = this.accessLogBucket;
    acknowledgeRule(logBucket, ['AwsSolutions'], 'S1', 'Access-log bucket: logging it into itself would loop; reads of it are recorded by CloudTrail.');
    acknowledgeRule(logBucket, COMPLIANCE_PACKS, 'S3BucketLoggingEnabled', 'Access-log bucket: logging it into itself would loop; reads of it are recorded by CloudTrail.');
    acknowledgeRule(logBucket, COMPLIANCE_PACKS, 'S3DefaultEncryptionKMS', 'Access-log bucket: S3 server access logging only delivers to buckets encrypted with SSE-S3.');
    acknowledgeRule(logBucket, COMPLIANCE_PACKS, 'S3BucketReplicationEnabled',
      'Access-log bucket: logs are diagnostic records of this region; replicating them elsewhere adds cost, not resilience of the data.');
  }
}

/**
 * Resources that exist once per AWS account and region, shared by every environment and line of
 * business deployed there: the server access-log bucket every data bucket logs to, the Lake
 * Formation settings (administrators, no IAMAllowedPrincipals defaults) and the LF-tag definitions.
 *
 * When two environments share an account and region, only the first of them in config order
 * holds this stack (see DataLakeStage); its name carries no environment so that it stays the same
 * CloudFormation stack whichever environment owns it.
 */
import { type RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type { Construct } from 'constructs';
import { AccessLogBucket } from '../constructs/access-log-bucket';
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
  public readonly accessLogBucket: AccessLogBucket;
  public readonly lakeFormationSettings: LakeFormationSettings;
  /** LF-tag definitions by key; attached and granted on by the LoB governance stacks. */
  public readonly lfTags: ReadonlyMap<string, lakeformation.CfnTag>;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    this.accessLogBucket = new AccessLogBucket(this, 'AccessLogs', {
      bucketName: accessLogBucketName({ organisation: props.organisation, account: this.account, region: this.region }),
      retentionDays: props.accountSettings.accessLogRetentionDays,
      removalPolicy: props.removalPolicy,
    });

    this.lakeFormationSettings = new LakeFormationSettings(this, 'LakeFormation', { admins: props.accountSettings.lakeFormationAdmins });
    const lfTags = new Map<string, lakeformation.CfnTag>();
    for (const [key, values] of Object.entries(lfTagDefinitions(props.environments, props.lobs))) {
      const tag = new lakeformation.CfnTag(this, `LfTag-${key}`, { catalogId: this.account, tagKey: key, tagValues: values });
      // Tags are created by the admins the settings make, so the settings come first.
      tag.addResourceDependency(this.lakeFormationSettings.settings);
      lfTags.set(key, tag);
    }
    this.lfTags = lfTags;
  }
}

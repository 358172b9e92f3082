/**
 * The KMS key of one storage layer.
 *
 * The key policy lets the account administer the key, and lets principals of the account use it
 * only through S3 (where the bucket calls KMS on their behalf): a role that can read the raw
 * bucket still cannot call kms:Decrypt directly, and no other account can use the key at all.
 * Which principals may use it is then decided by their IAM policies, whose statements pair each
 * S3 grant with this key (lib/permissions/statements.ts).
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { logGroupArn } from '../permissions/arns';

export interface LayerKeyProps {
  /** e.g. `alias/acme/dev/finance/raw`. */
  readonly alias: string;
  readonly description: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Log groups (name pattern, e.g. `/aws-glue/*`) whose events CloudWatch Logs may encrypt with
   * this key: Glue crawlers and jobs encrypt their logs with the key of the layer they write.
   * @default - CloudWatch Logs may not use the key
   */
  readonly cloudWatchLogGroups?: string;
  /**
   * Roles (by ARN, existing or not yet) that may call KMS directly rather than through S3: Glue
   * jobs encrypt their bookmarks client-side with the key of the layer they write.
   * @default - none
   */
  readonly directUserRoleArns?: readonly string[];
}

/** Administrative actions only: the account can manage the key but not use it through this statement. */
export const KEY_ADMIN_ACTIONS = [
  'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
  'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource',
  'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand',
];

const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'];

export class LayerKey extends Construct {
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LayerKeyProps) {
    super(scope, id);
    const account = new iam.AccountRootPrincipal();
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: props.description,
      alias: props.alias,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({ sid: 'KeyAdministrationByAccount', principals: [account], actions: KEY_ADMIN_ACTIONS, resources: ['*'] }),
          new iam.PolicyStatement({
            sid: 'UseThroughS3ByAccountPrincipals',
            principals: [account],
            actions: KEY_USE_ACTIONS,
            resources: ['*'],
            conditions: {
              StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com`, 'kms:CallerAccount': stack.account },
            },
          }),
          ...(props.directUserRoleArns && props.directUserRoleArns.length > 0 ? [new iam.PolicyStatement({
            sid: 'DirectUseByNamedRoles',
            // The account principal plus a PrincipalArn condition: naming the roles as principals
            // would fail while they do not exist yet.
            principals: [account],
            actions: KEY_USE_ACTIONS,
            resources: ['*'],
            conditions: { ArnEquals: { 'aws:PrincipalArn': [...props.directUserRoleArns] } },
          })] : []),
          ...(props.cloudWatchLogGroups ? [new iam.PolicyStatement({
            sid: 'EncryptLogsOfThisAccount',
            principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
            actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            resources: ['*'],
            conditions: {
              ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(stack, props.cloudWatchLogGroups) },
            },
          })] : []),
        ],
      }),
    });
  }
}

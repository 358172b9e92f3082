/**
 * The KMS key of a stack's operational resources: queues, alert topics and log groups. Like the
 * layer keys, the account administers it and its principals may use it only through the services
 * named here; CloudWatch may use it to publish alarms, CloudWatch Logs only for the log groups named.
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { logGroupArn } from '../permissions/arns';
import { KEY_ADMIN_ACTIONS } from './layer-key';

export interface OperationsKeyProps {
  readonly alias: string;
  readonly description: string;
  /** Services (e.g. `sqs`, `sns`, `kinesis`) through which account principals may use the key. */
  readonly viaServices: readonly string[];
  /** Log group name patterns CloudWatch Logs may encrypt with the key, e.g. `/aws/lambda/acme-dev-finance-*`. */
  readonly logGroups?: readonly string[];
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export class OperationsKey extends Construct {
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: OperationsKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const account = new iam.AccountRootPrincipal();
    const statements = [
      new iam.PolicyStatement({ sid: 'KeyAdministrationByAccount', principals: [account], actions: KEY_ADMIN_ACTIONS, resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'UseThroughServicesByAccountPrincipals',
        principals: [account],
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:ViaService': props.viaServices.map((service) => `${service}.${stack.region}.amazonaws.com`), 'kms:CallerAccount': stack.account },
        },
      }),
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    ];
    if (props.logGroups && props.logGroups.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'EncryptLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': props.logGroups.map((group) => logGroupArn(stack, group)) } },
      }));
    }
    this.key = new kms.Key(this, 'Key', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({ statements }),
    });
  }
}

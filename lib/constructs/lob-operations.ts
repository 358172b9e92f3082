/**
 * The operations of one line of business in one environment: its operations KMS key (queues,
 * alerts, logs) and its alerts topic, to which every alarm and failure of the LoB publishes.
 *
 * Other stacks reach the topic by the ARN its fixed name determines (`alertsTopicByName`), never by
 * a cross-stack reference, so a changed topic leaves no stale `Fn::GetStackOutput` behind.
 */
import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { type NameScope, lobKeyAlias, lobResourceName } from '../config/names';
import { alarmsArn } from '../permissions';
import { OperationsKey } from './operations-key';

export interface LobOperationsProps {
  readonly names: NameScope;
  readonly lob: string;
  /** Services through which account principals may use the key, e.g. `sqs` for encrypted queues. */
  readonly viaServices: readonly string[];
  /** Log groups (names or patterns) CloudWatch Logs may encrypt with the key. */
  readonly logGroups: readonly string[];
  readonly removalPolicy: RemovalPolicy;
}

export class LobOperations extends Construct {
  /** Encrypts the LoB's queues, alerts topic and logs; publishers need GenerateDataKey and Decrypt on it. */
  public readonly key: kms.Key;
  public readonly alertsTopic: sns.Topic;
  /**
   * The alerts topic for other stacks, by the ARN its name determines (account, region and
   * partition are the stage's, known at synth): no cross-stack reference, so no
   * `Fn::GetStackOutput` that would go stale when the topic changes.
   */
  public readonly alertsTopicByName: sns.ITopic;

  constructor(scope: Construct, id: string, props: LobOperationsProps) {
    super(scope, id);
    const { names, lob } = props;
    const stack = Stack.of(this);
    const topicName = lobResourceName(names, lob, 'alerts');

    this.key = new OperationsKey(this, 'OperationsKey', {
      alias: lobKeyAlias(names, lob, 'operations'),
      description: `Encrypts ${lob} queues, alerts and logs (${names.environment})`,
      viaServices: [...props.viaServices, 'sns'],
      logGroups: props.logGroups,
      removalPolicy: props.removalPolicy,
    }).key;

    this.alertsTopic = new sns.Topic(this, 'Alerts', {
      topicName,
      displayName: `Lakeworks ${lob} (${names.environment}) alerts`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, which let the account's principals and services
    // publish: with only the TLS deny, CloudWatch alarms could not publish. Roles of this account
    // (EventBridge targets, the curation state machine) publish through their IAM policies.
    this.alertsTopic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisAccountPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.alertsTopic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': alarmsArn(stack) },
      },
    }));
    this.alertsTopicByName = sns.Topic.fromTopicArn(this, 'AlertsByName',
      `arn:${RegionInfo.get(names.region).partition ?? Aws.PARTITION}:sns:${names.region}:${names.account}:${topicName}`);
  }
}

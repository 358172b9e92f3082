/**
 * The one kind of alarm Lakeworks raises: fires when a metric reaches a threshold in one period,
 * treats missing data as fine (quiet periods are normal), and publishes to the LoB's alerts topic.
 */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

export function alertWhen(scope: Construct, id: string, metric: cloudwatch.IMetric, threshold: number, description: string, topic: sns.ITopic): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric,
    threshold,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: description,
  });
  alarm.addAlarmAction(new cwActions.SnsAction(topic));
  return alarm;
}

/**
 * ARNs of resources a policy names before (or without) holding the resource: built with
 * Stack.formatArn, so partition, region and account are the stack's and never typed by hand.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';

/** `arn:<partition>:s3:::<bucket>`. */
export function bucketArn(stack: Stack, bucketName: string): string {
  return stack.formatArn({ service: 's3', region: '', account: '', resource: bucketName });
}

/** Objects under each key prefix of a bucket (`<bucket arn>/<prefix>*`); `''` is every object. */
export function objectArns(bucket: string, prefixes: readonly string[]): string[] {
  return prefixes.map((prefix) => `${bucket}/${prefix}*`);
}

/** An IAM role of the stack's account, by name. */
export function roleArn(stack: Stack, roleName: string): string {
  return stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: roleName });
}

/** The stack account's Glue Data Catalog. */
export function glueCatalogArn(stack: Stack): string {
  return stack.formatArn({ service: 'glue', resource: 'catalog' });
}

export function glueDatabaseArn(stack: Stack, database: string): string {
  return stack.formatArn({ service: 'glue', resource: 'database', resourceName: database });
}

/** A table of a Glue database; `*` is every table in it. */
export function glueTableArn(stack: Stack, database: string, table: string): string {
  return stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/${table}` });
}

export function glueJobArn(stack: Stack, jobName: string): string {
  return stack.formatArn({ service: 'glue', resource: 'job', resourceName: jobName });
}

/** Data quality rulesets; `*` also covers results of rules evaluated inside a job. */
export function glueDataQualityRulesetArn(stack: Stack, ruleset: string): string {
  return stack.formatArn({ service: 'glue', resource: 'dataQualityRuleset', resourceName: ruleset });
}

/** A log group by name or name pattern, without the `:*` of its streams. */
export function logGroupArn(stack: Stack, logGroupName: string): string {
  return stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** One log stream of a log group. */
export function logStreamArn(stack: Stack, logGroupName: string, logStreamName: string): string {
  return logGroupArn(stack, `${logGroupName}:log-stream:${logStreamName}`);
}

export function stateMachineArn(stack: Stack, stateMachineName: string): string {
  return stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

export function athenaWorkgroupArn(stack: Stack, workgroup: string): string {
  return stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: workgroup });
}

export function quickSightDataSetArn(stack: Stack, dataSetId: string): string {
  return stack.formatArn({ service: 'quicksight', resource: 'dataset', resourceName: dataSetId });
}

/** Every KMS key of the stack's account and region: for a key not known at synth, narrowed by conditions. */
export function anyKeyArn(stack: Stack): string {
  return stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' });
}

export function glueConnectionArn(stack: Stack, connectionName: string): string {
  return stack.formatArn({ service: 'glue', resource: 'connection', resourceName: connectionName });
}

/** Every network interface of the stack's account and region (services name the ones they create). */
export function networkInterfacesArn(stack: Stack): string {
  return stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' });
}

/** Every CloudWatch alarm of the stack's account and region. */
export function alarmsArn(stack: Stack): string {
  return stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

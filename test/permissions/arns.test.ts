import { App, Stack } from 'aws-cdk-lib';
import {
  athenaWorkgroupArn, bucketArn, glueCatalogArn, glueDataQualityRulesetArn, glueDatabaseArn, glueJobArn, glueTableArn, logGroupArn, logStreamArn,
  objectArns, quickSightDataSetArn, roleArn, stateMachineArn,
} from '../../lib/permissions';

/**
 * Each ARN resolves exactly as the hand-typed `arn:${partition}:…` string it replaces, so templates
 * built with the vocabulary do not change; both kinds of stack are covered (account and region
 * known at synth, or CloudFormation pseudo parameters).
 */
describe.each([
  ['an environment-specific stack', { account: '111122223333', region: 'eu-west-1' }],
  ['an environment-agnostic stack', undefined],
])('ARNs in %s', (_name, env) => {
  const stack = new Stack(new App(), 'Arns', { env });
  const same = (built: string, typed: string) => expect(stack.resolve(built)).toEqual(stack.resolve(typed));
  const { partition, region, account } = stack;

  it('names S3 buckets and objects without region or account', () => {
    same(bucketArn(stack, 'acme-dev-finance-raw'), `arn:${partition}:s3:::acme-dev-finance-raw`);
    expect(objectArns('arn:aws:s3:::b', ['landing/', ''])).toEqual(['arn:aws:s3:::b/landing/*', 'arn:aws:s3:::b/*']);
  });

  it('names IAM roles without a region', () => {
    same(roleArn(stack, 'acme-dev-finance-crawler'), `arn:${partition}:iam::${account}:role/acme-dev-finance-crawler`);
  });

  it('names Glue catalog, databases, tables, jobs and rulesets', () => {
    same(glueCatalogArn(stack), `arn:${partition}:glue:${region}:${account}:catalog`);
    same(glueDatabaseArn(stack, 'db'), `arn:${partition}:glue:${region}:${account}:database/db`);
    same(glueTableArn(stack, 'db', '*'), `arn:${partition}:glue:${region}:${account}:table/db/*`);
    same(glueJobArn(stack, 'job'), `arn:${partition}:glue:${region}:${account}:job/job`);
    same(glueDataQualityRulesetArn(stack, '*'), `arn:${partition}:glue:${region}:${account}:dataQualityRuleset/*`);
  });

  it('names log groups and streams with colons', () => {
    same(logGroupArn(stack, '/aws-glue/*'), `arn:${partition}:logs:${region}:${account}:log-group:/aws-glue/*`);
    same(logStreamArn(stack, '/aws/kinesisfirehose/s', 'S3Delivery'), `arn:${partition}:logs:${region}:${account}:log-group:/aws/kinesisfirehose/s:log-stream:S3Delivery`);
  });

  it('names state machines, workgroups and QuickSight datasets', () => {
    same(stateMachineArn(stack, 'm'), `arn:${partition}:states:${region}:${account}:stateMachine:m`);
    same(athenaWorkgroupArn(stack, 'w'), `arn:${partition}:athena:${region}:${account}:workgroup/w`);
    same(quickSightDataSetArn(stack, 'd'), `arn:${partition}:quicksight:${region}:${account}:dataset/d`);
  });
});

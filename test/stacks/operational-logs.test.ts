/**
 * Each stack keeps its logs as its own config block says: the transform's, the ingest's (record
 * processors and Firehose delivery) and the curation state machine's retention differ here, so a
 * stack reading another block's value fails.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { MARKETING, parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { synthesizedApp } from '../helpers/sample-app';

const fixture = sampleFixture();
fixture.lobs[MARKETING].transform = { ...fixture.lobs[MARKETING].transform, logRetentionDays: 30 };
fixture.lobs[MARKETING].ingest = { logRetentionDays: 90, processor: { memoryMb: 1024 } };
fixture.lobs[MARKETING].curation = { ...fixture.lobs[MARKETING].curation, logRetentionDays: 400 };
const stacks = synthesizedApp(parseFixture(fixture)).stages[0].lobStacks.get('marketing')!;

const retentionByLogGroup = (template: Template) => Object.fromEntries(Object.values(template.findResources('AWS::Logs::LogGroup'))
  .map((group) => [JSON.stringify(group.Properties.LogGroupName), group.Properties.RetentionInDays]));

test('the transform\'s log group keeps transform.logRetentionDays', () => {
  expect(Object.values(retentionByLogGroup(Template.fromStack(stacks.transform)))).toEqual([30]);
});

test('the record processors\' and Firehose delivery log groups keep ingest.logRetentionDays; processors have ingest.processor.memoryMb', () => {
  const template = Template.fromStack(stacks.ingest!);
  const retention = Object.values(retentionByLogGroup(template));
  expect(retention.length).toBeGreaterThanOrEqual(2);
  expect(new Set(retention)).toEqual(new Set([90]));
  const processors = Object.values(template.findResources('AWS::Lambda::Function'));
  expect(processors.length).toBeGreaterThan(0);
  for (const processor of processors) expect(processor.Properties.MemorySize).toBe(1024);
});

test('the curation state machine\'s log group keeps curation.logRetentionDays', () => {
  expect(Object.values(retentionByLogGroup(Template.fromStack(stacks.curation)))).toEqual([400]);
});

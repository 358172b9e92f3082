import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { dataBucketName } from '../../lib/config/names';
import { MAX_RECEIVE_COUNT } from '../../lib/stacks/transform-stack';
import { MAX_RECEIVE_COUNT as LOCAL_MAX_RECEIVE_COUNT } from '../../tools/local/embedded-lake';
import { FINANCE, configErrorOf, parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { lobStackCases, synthesizedApp, templateOf } from '../helpers/sample-app';
import { describeTemplateSnapshot } from '../helpers/template-snapshot';

type Resource = { Type: string; Properties: any };

describe.each(lobStackCases((stacks) => stacks.transform))('$environment/$lob-transform', ({ lob, stack, names, lobConfig }) => {
  const template = templateOf(stack);
  const json = template.toJSON();
  const resources = json.Resources as Record<string, Resource>;
  const idOf = (type: string, predicate: (r: Resource) => boolean = () => true) =>
    Object.entries(resources).find(([, r]) => r.Type === type && predicate(r))![0];
  const queueId = idOf('AWS::SQS::Queue', (r) => r.Properties.QueueName === `acme-${names.environment}-${lob}-transform`);
  const dlqId = idOf('AWS::SQS::Queue', (r) => r.Properties.QueueName.endsWith('-transform-dlq'));

  describeTemplateSnapshot(json);

  test('routes only new raw objects under landing/ and stream/ to the queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.s3'],
        'detail-type': ['Object Created'],
        'detail': { bucket: { name: [dataBucketName(names, lob, 'raw')] }, object: { key: [{ prefix: 'landing/' }, { prefix: 'stream/' }] } },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } } })],
    });
  });

  test('queues are KMS-encrypted with a rotating key, TLS-only, with a dead-letter queue after the same receive count local mode uses', () => {
    const queue = resources[queueId].Properties;
    const keyId = queue.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(resources[keyId].Properties.EnableKeyRotation).toBe(true);
    expect(resources[dlqId].Properties.KmsMasterKeyId).toEqual(queue.KmsMasterKeyId);
    expect(queue.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: MAX_RECEIVE_COUNT });
    expect(LOCAL_MAX_RECEIVE_COUNT).toBe(MAX_RECEIVE_COUNT);
    expect(queue.VisibilityTimeout).toBe(lobConfig.transform.timeoutSeconds * 6);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('the Lambda reports partial batch failures and is configured from config', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 10,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      MemorySize: lobConfig.transform.memoryMb,
      Timeout: lobConfig.transform.timeoutSeconds,
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ STANDARDIZED_BUCKET: dataBucketName(names, lob, 'standardized'), ROW_GROUP_ROWS: String(lobConfig.transform.rowGroupRows), PARQUET_INTEGER_ENCODING: 'delta' }) },
    });
  });

  test('is bounded by the event source\'s maximum concurrency and reserves nothing (a reservation fails in accounts with a small quota)', () => {
    expect(lobConfig.transform.reservedConcurrency).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] }, ScalingConfig: { MaximumConcurrency: lobConfig.transform.maxConcurrency },
    });
    expect(lobConfig.transform.maxConcurrency).toBeGreaterThanOrEqual(2);
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    const throttles = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((alarm) => alarm.Properties.MetricName === 'Throttles')!;
    expect(throttles.Properties.AlarmDescription).toContain('transform.maxConcurrency');
    expect(throttles.Properties.AlarmDescription).not.toContain('reservedConcurrency');
  });

  test('CloudWatch alarms of this account may publish to the alerts topic, which replaces SNS\'s default policy', () => {
    const topicId = idOf('AWS::SNS::Topic');
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    expect(policy.Properties.Topics).toEqual([{ Ref: topicId }]);
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    expect(statements).toContainEqual({
      Sid: 'CloudWatchAlarmsOfThisAccountPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topicId },
      Condition: { StringEquals: { 'aws:SourceAccount': names.account }, ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${names.region}:${names.account}:alarm:*` } },
    });
    // The only deny is the TLS one: roles of this account (the curation stack's EventBridge rule
    // and state machine) still publish through their own IAM policies.
    expect(statements.filter((statement) => statement.Effect === 'Deny')).toEqual([
      expect.objectContaining({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);
  });

  test('CloudWatch may use the topic\'s key, for this account only', () => {
    const topicId = idOf('AWS::SNS::Topic');
    const keyId = resources[topicId].Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(resources[keyId].Properties.KeyPolicy.Statement).toContainEqual({
      Sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': names.account } },
    });
  });

  test('other stacks find the alerts topic by the ARN its name determines', () => {
    const topicId = idOf('AWS::SNS::Topic');
    expect(stack.operations.alertsTopicByName.topicArn).toBe(`arn:aws:sns:${names.region}:${names.account}:${resources[topicId].Properties.TopicName}`);
  });

  test('the role may read raw, write standardized and read back only its outputs records, use exactly those keys and its queue, and nothing else', () => {
    const [policy] = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy');
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, [s.Resource].flat()]));
    const raw = `arn:aws:s3:::${dataBucketName(names, lob, 'raw')}`;
    const standardized = `arn:aws:s3:::${dataBucketName(names, lob, 'standardized')}`;
    expect(bySid.ReadRawObjects.sort()).toEqual([`${raw}/landing/*`, `${raw}/stream/*`]);
    expect(bySid.WriteStandardizedObjects).toEqual([`${standardized}/*`]);
    // Reading back in standardized: only the sources' outputs records, and listing so a first transform sees NoSuchKey.
    expect(bySid.ReadOutputsRecords).toEqual([`${standardized}/outputs/*`]);
    expect(bySid.ListStandardized).toEqual([standardized]);
    expect(statements.filter((s) => [s.Action].flat().includes('s3:GetObject')).map((s) => s.Sid).sort()).toEqual(['ReadOutputsRecords', 'ReadRawObjects']);
    expect(Object.keys(bySid).sort()).toEqual(['ConsumeQueue', 'DecryptMessages', 'DecryptOutputsRecords', 'DecryptRaw', 'EncryptStandardized', 'ListStandardized',
      'ReadOutputsRecords', 'ReadRawObjects', 'WriteLogs', 'WriteStandardizedObjects', 'WriteTraces']);
    expect(bySid.DecryptRaw[0]['Fn::GetStackOutput'].OutputName).toContain('RawKey');
    expect(bySid.EncryptStandardized[0]['Fn::GetStackOutput'].OutputName).toContain('StandardizedKey');
    expect(bySid.ConsumeQueue).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
    for (const statement of statements) {
      expect([statement.Action].flat().every((action: string) => !action.endsWith('*') || action.startsWith('kms:Generate'))).toBe(true);
    }
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy')).toEqual([]);
  });

  test('alarms on dead letters, backlog, errors and throttles publish to the encrypted alerts topic', () => {
    const topicId = idOf('AWS::SNS::Topic');
    expect(resources[topicId].Properties.KmsMasterKeyId).toBeDefined();
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((r) => r.Properties);
    const perDataset = new Set(['DriftColumns', 'ObjectsRefused']);
    expect(alarms.map((a) => a.MetricName).filter((name) => !perDataset.has(name)).sort()).toEqual(['ApproximateAgeOfOldestMessage', 'ApproximateNumberOfMessagesVisible', 'Errors', 'Throttles']);
    // Schema drift and refused files: one alarm each per CSV dataset, on the handler's metrics for it.
    const drift = alarms.filter((a) => perDataset.has(a.MetricName));
    expect(drift.length).toBeGreaterThan(0);
    for (const alarm of drift) expect(alarm).toMatchObject({ Namespace: expect.any(String), Dimensions: expect.arrayContaining([expect.objectContaining({ Name: 'dataset' })]) });
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  test('logs are encrypted and kept for the configured days', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/aws/lambda/acme-${names.environment}-${lob}-transform`, RetentionInDays: lobConfig.transform.logRetentionDays, KmsKeyId: Match.anyValue(),
    });
  });
});

test('a LoB may opt into a reservation, kept at least the event source\'s maximum concurrency', () => {
  const fixture = sampleFixture();
  fixture.platform.pipeline.enabled = false;
  fixture.lobs[FINANCE].transform = { maxConcurrency: 5, reservedConcurrency: 20 };
  const { stages } = synthesizedApp(parseFixture(fixture));
  const transform = stages[0].lobStacks.get('finance')!.transform;
  const template = templateOf(transform);
  template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 20 });
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 5 } });
  const acknowledged = transform.function.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.keys(entry.data as Record<string, string>));
  expect(acknowledged.filter((id) => id.includes('LambdaConcurrency'))).toEqual([]);

  expect(configErrorOf((f) => { f.lobs[FINANCE].transform = { maxConcurrency: 10, reservedConcurrency: 5 }; }))
    .toContain('transform.reservedConcurrency: expected at least maxConcurrency (10) when set; got 5');
  expect(configErrorOf((f) => { f.lobs[FINANCE].transform = { maxConcurrency: 1 }; })).toContain('transform.maxConcurrency');
});

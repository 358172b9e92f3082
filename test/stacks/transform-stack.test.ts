import { Match } from 'aws-cdk-lib/assertions';
import { dataBucketName } from '../../lib/config/names';
import { MAX_RECEIVE_COUNT } from '../../lib/stacks/transform-stack';
import { MAX_RECEIVE_COUNT as LOCAL_MAX_RECEIVE_COUNT } from '../../tools/local/run-local';
import { lobStackCases, templateOf } from '../helpers/sample-app';

type Resource = { Type: string; Properties: any };

describe.each(lobStackCases((stacks) => stacks.transform))('$environment/$lob-transform', ({ lob, stack, names, lobConfig }) => {
  const template = templateOf(stack);
  const json = template.toJSON();
  const resources = json.Resources as Record<string, Resource>;
  const idOf = (type: string, predicate: (r: Resource) => boolean = () => true) =>
    Object.entries(resources).find(([, r]) => r.Type === type && predicate(r))![0];
  const queueId = idOf('AWS::SQS::Queue', (r) => r.Properties.QueueName === `acme-${names.environment}-${lob}-transform`);
  const dlqId = idOf('AWS::SQS::Queue', (r) => r.Properties.QueueName.endsWith('-transform-dlq'));

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

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
      ReservedConcurrentExecutions: lobConfig.transform.reservedConcurrency,
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ STANDARDIZED_BUCKET: dataBucketName(names, lob, 'standardized'), ROW_GROUP_ROWS: String(lobConfig.transform.rowGroupRows), PARQUET_INTEGER_ENCODING: 'delta' }) },
    });
  });

  test('the role may read raw, write standardized, use exactly those keys and its queue, and nothing else', () => {
    const [policy] = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy');
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, [s.Resource].flat()]));
    const raw = `arn:aws:s3:::${dataBucketName(names, lob, 'raw')}`;
    const standardized = `arn:aws:s3:::${dataBucketName(names, lob, 'standardized')}`;
    expect(bySid.ReadRawObjects.sort()).toEqual([`${raw}/landing/*`, `${raw}/stream/*`]);
    expect(bySid.WriteStandardizedObjects).toEqual([`${standardized}/*`]);
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
    expect(alarms.map((a) => a.MetricName).sort()).toEqual(['ApproximateAgeOfOldestMessage', 'ApproximateNumberOfMessagesVisible', 'Errors', 'Throttles']);
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
  });

  test('logs are encrypted and kept for the configured days', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/aws/lambda/acme-${names.environment}-${lob}-transform`, RetentionInDays: lobConfig.transform.logRetentionDays, KmsKeyId: Match.anyValue(),
    });
  });
});

import { Match, Template } from 'aws-cdk-lib/assertions';
import { dataBucketName } from '../../lib/config/names';
import { parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { lobStackCases, synthesizedApp, templateOf } from '../helpers/sample-app';
import { describeTemplateSnapshot } from '../helpers/template-snapshot';

const cases = lobStackCases((stacks) => stacks.ingest).filter((c) => c.stack !== undefined);

test('only LoBs with stream datasets get an ingest stack', () => {
  for (const c of lobStackCases((stacks) => stacks.ingest)) {
    expect(c.stack !== undefined).toBe(c.lobConfig.datasets.some((d) => d.ingest === 'stream'));
  }
  expect(cases.length).toBeGreaterThan(0);
});

describe.each(cases)('$environment/$lob-ingest', ({ lob, stack, names, lobConfig, stacks }) => {
  const template = templateOf(stack!);
  const json = template.toJSON();
  const streams = lobConfig.datasets.filter((d) => d.ingest === 'stream');

  describeTemplateSnapshot(json);

  test.each(streams.map((d) => [d.name, d] as const))('%s: Firehose into raw stream/<dataset>/ingest_date=…, GZIP, raw key, error prefix, dynamic partitioning by the processor', (_name, dataset) => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: dataset.stream?.kinesisDataStream ? 'KinesisStreamAsSource' : 'DirectPut',
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: `arn:aws:s3:::${dataBucketName(names, lob, 'raw')}`,
        Prefix: `stream/${dataset.name}/ingest_date=!{partitionKeyFromLambda:ingest_date}/`,
        ErrorOutputPrefix: `errors/${dataset.name}/!{firehose:error-output-type}/ingest_date=!{timestamp:yyyy-MM-dd}/`,
        CompressionFormat: 'GZIP',
        BufferingHints: { SizeInMBs: dataset.stream?.bufferSizeMb ?? 64, IntervalInSeconds: dataset.stream?.bufferIntervalSeconds ?? 60 },
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: { 'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('RawKey') }) } } },
        DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } },
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
        ProcessingConfiguration: { Enabled: true, Processors: [Match.objectLike({ Type: 'Lambda' })] },
      }),
    });
  });

  test('processors reserve no concurrency (their Firehose stream bounds them) and the stream has no redundant DependsOn on its role', () => {
    for (const fn of Object.values(template.findResources('AWS::Lambda::Function'))) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    for (const stream of Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream'))) expect(stream.DependsOn).toBeUndefined();
  });

  test('the delivery role writes only the dataset prefixes of raw', () => {
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).filter((p: any) => p.Properties.Description.startsWith('Firehose delivery'));
    for (const policy of policies as any[]) {
      const write = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'WriteDatasetObjects');
      for (const resource of write.Resource) expect(resource).toMatch(new RegExp(`^arn:aws:s3:::${dataBucketName(names, lob, 'raw')}/(stream|errors)/[a-z_]+/\\*$`));
    }
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
  });

  test('alarms on freshness, processor errors, throttles and rejected records, to the alerts topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties.MetricName);
    expect(alarms.sort()).toEqual(streams.flatMap(() => ['DeliveryToS3.DataFreshness', 'Errors', 'RecordsRejected', 'Throttles']).sort());
    expect(stack!.dependencies).toContain(stacks.transform);
  });
});

test('a dataset that asks for it is read from an on-demand, KMS-encrypted Kinesis Data Stream', () => {
  const fixture = sampleFixture();
  fixture.lobs['config/lobs/marketing.yaml'].datasets[0].stream.kinesisDataStream = true;
  const { stages } = synthesizedApp(parseFixture(fixture));
  const template = Template.fromStack(stages[0].lobStacks.get('marketing')!.ingest!);
  template.hasResourceProperties('AWS::Kinesis::Stream', { StreamModeDetails: { StreamMode: 'ON_DEMAND' }, StreamEncryption: { EncryptionType: 'KMS', KeyId: Match.anyValue() } });
  template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
    DeliveryStreamType: 'KinesisStreamAsSource', KinesisStreamSourceConfiguration: Match.objectLike({ KinesisStreamARN: Match.anyValue() }),
  });
});

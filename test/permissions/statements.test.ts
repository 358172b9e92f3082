import { App, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import {
  KMS_ACTIONS, S3_OBJECT_ACTIONS, consumeEncryptedQueue, glueCatalogRead, keyStatement, lakeFormationDataAccess, listBucket, logsCreateEncrypted, logsDeliver, logsWrite,
  objectStatement, publishEncrypted, readObjects, readWriteObjects, readWriteUploads, writeObjects, xrayWrite,
} from '../../lib/permissions';

const stack = new Stack(new App(), 'Vocabulary', { env: { account: '111122223333', region: 'eu-west-1' } });
const json = (statement: iam.PolicyStatement) => stack.resolve(statement.toStatementJson());
const objects = ['arn:aws:s3:::bucket/prefix/*'];
const keys = ['arn:aws:kms:eu-west-1:111122223333:key/one'];
const target = { sid: 'Objects', objects, keySid: 'Key', keys };

describe('paired S3 and KMS builders', () => {
  const builders: Array<[string, () => iam.PolicyStatement[], readonly string[], readonly string[]]> = [
    ['readObjects', () => readObjects(target), ['s3:GetObject'], ['kms:Decrypt']],
    ['readObjects with versions', () => readObjects({ ...target, versions: true }), ['s3:GetObject', 's3:GetObjectVersion'], ['kms:Decrypt']],
    ['writeObjects', () => writeObjects(target), ['s3:PutObject', 's3:DeleteObject'], ['kms:GenerateDataKey', 'kms:Decrypt']],
    ['readWriteObjects', () => readWriteObjects(target), ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']],
    ['readWriteObjects for Lake Formation', () => readWriteObjects({ ...target, withoutPlaintext: true }),
      ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext']],
    ['readWriteUploads', () => readWriteUploads(target), ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], ['kms:GenerateDataKey', 'kms:Decrypt']],
  ];

  it.each(builders)('%s states the objects, then the key of the bucket', (_name, build, s3Actions, kmsActions) => {
    const [s3, kms, ...rest] = build().map(json);
    expect(rest).toEqual([]);
    // IAM's JSON states a single action as a string.
    const action = (actions: readonly string[]) => (actions.length === 1 ? actions[0] : actions);
    expect(s3).toEqual({ Sid: 'Objects', Effect: 'Allow', Action: action(s3Actions), Resource: objects[0] });
    expect(kms).toEqual({ Sid: 'Key', Effect: 'Allow', Action: action(kmsActions), Resource: keys[0] });
  });

  it.each(builders)('%s grants only S3 in the first statement and only KMS in the second', (_name, build) => {
    const [s3, kms] = build();
    expect(s3.actions.every((action) => action.startsWith('s3:'))).toBe(true);
    expect(kms.actions.every((action) => action.startsWith('kms:'))).toBe(true);
    expect(kms.resources).toEqual(keys);
  });

  it('keeps every key when the objects span buckets', () => {
    const twoKeys = [...keys, 'arn:aws:kms:eu-west-1:111122223333:key/two'];
    expect(readWriteObjects({ ...target, keys: twoKeys })[1].resources).toEqual(twoKeys);
  });

  it('every object action list that writes is paired with a key list that can encrypt', () => {
    for (const [, build] of builders) {
      const [s3, kms] = build();
      if (s3.actions.includes('s3:PutObject')) expect(kms.actions).toContain('kms:GenerateDataKey');
      expect(kms.actions).toContain('kms:Decrypt');
    }
  });
});

describe('single statements', () => {
  it('objectStatement and keyStatement take named action lists', () => {
    expect(objectStatement('Scripts', 'read', objects).actions).toEqual([...S3_OBJECT_ACTIONS.read]);
    expect(keyStatement('Messages', KMS_ACTIONS.decrypt, keys).actions).toEqual(['kms:Decrypt']);
  });

  it('listBucket lists, locates and limits to prefixes', () => {
    expect(json(listBucket('List', ['arn:aws:s3:::bucket']))).toEqual({ Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::bucket' });
    expect(listBucket('Find', ['arn:aws:s3:::bucket'], { locate: true }).actions).toEqual(['s3:GetBucketLocation', 's3:ListBucket']);
    expect(json(listBucket('Some', ['arn:aws:s3:::bucket'], { prefixes: ['landing/a/', 'stream/a/'] })).Condition)
      .toEqual({ StringLike: { 's3:prefix': ['landing/a/*', 'stream/a/*'] } });
    expect(json(listBucket('All', ['arn:aws:s3:::bucket'])).Condition).toBeUndefined();
  });

  it('glueCatalogRead reads metadata, partitions only when asked, in the order given', () => {
    const resources = ['catalog', 'database', 'table'];
    expect(glueCatalogRead('Read', resources).actions).toEqual(['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables']);
    expect(glueCatalogRead('Read', resources, { partitions: true }).actions).toEqual([
      'glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition',
    ]);
    expect(glueCatalogRead('Read', resources).resources).toEqual(resources);
  });

  it('logs builders separate writing into a stack\'s log group from creating Glue\'s own', () => {
    expect(logsWrite('Logs', ['group']).actions).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(logsCreateEncrypted('Logs', ['group']).actions).toEqual(['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey']);
    expect(logsDeliver('Deliver').resources).toEqual(['*']);
    expect(logsDeliver('Deliver').actions).toContain('logs:CreateLogDelivery');
  });

  it('services without resource-level permissions are granted on * only', () => {
    expect(xrayWrite('Trace').actions).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
    expect(xrayWrite('Trace', { sampling: true }).actions).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets']);
    expect(xrayWrite('Trace').resources).toEqual(['*']);
    expect(json(lakeFormationDataAccess('Ask'))).toEqual({ Sid: 'Ask', Effect: 'Allow', Action: 'lakeformation:GetDataAccess', Resource: '*' });
  });

  it('consumeEncryptedQueue pairs what the event source calls with Decrypt on the queue key', () => {
    const [queue, key] = consumeEncryptedQueue({ sid: 'Consume', queue: 'arn:aws:sqs:eu-west-1:111122223333:q', keySid: 'DecryptMessages', key: keys[0] });
    expect(queue.actions).toEqual(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl']);
    expect(queue.resources).toEqual(['arn:aws:sqs:eu-west-1:111122223333:q']);
    expect(json(key)).toEqual({ Sid: 'DecryptMessages', Effect: 'Allow', Action: 'kms:Decrypt', Resource: keys[0] });
  });

  it('publishEncrypted pairs Publish with the topic key', () => {
    const [publish, key] = publishEncrypted({ sid: 'Alert', topic: 'arn:aws:sns:eu-west-1:111122223333:alerts', keySid: 'EncryptAlerts', key: keys[0] });
    expect(json(publish)).toEqual({ Sid: 'Alert', Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:aws:sns:eu-west-1:111122223333:alerts' });
    expect(json(key)).toEqual({ Sid: 'EncryptAlerts', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keys[0] });
  });
});

import { Match } from 'aws-cdk-lib/assertions';
import { resolveLifecycle } from '../../lib/config/lifecycle-defaults';
import { ARCHIVE_STORAGE_CLASSES } from '../../lib/config/lob-schema';
import { STORAGE_LAYERS, accessLogBucketName, dataBucketName, layerKeyAlias } from '../../lib/config/names';
import { lobStackCases, sampleApp, templateOf } from '../helpers/sample-app';
import { describeTemplateSnapshot } from '../helpers/template-snapshot';

const { app } = sampleApp();
const cases = lobStackCases((stacks) => stacks.storage);

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

describe.each(cases)('$environment/$lob-storage', ({ stage, lob, stack, environment, envConfig, lobConfig, names }) => {
  const template = templateOf(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;

  const logicalIdOf = (type: string, predicate: (resource: Resource) => boolean) => {
    const found = Object.entries(resources).filter(([, resource]) => resource.Type === type && predicate(resource));
    expect(found).toHaveLength(1);
    return found[0][0];
  };
  const bucketId = (layer: (typeof STORAGE_LAYERS)[number]) =>
    logicalIdOf('AWS::S3::Bucket', (bucket) => bucket.Properties.BucketName === dataBucketName(names, lob, layer));

  describeTemplateSnapshot(template.toJSON());

  test('is named after environment, LoB and concern', () => {
    expect(stack.artifactId).toBeDefined();
    expect(stack.node.path).toBe(`${environment}/${lob}-storage`);
    expect(stack.stackName).toBe(`acme-${environment}-${lob}-storage`);
  });

  test('has one bucket and one key per layer, and nothing else stateful', () => {
    template.resourceCountIs('AWS::S3::Bucket', STORAGE_LAYERS.length);
    template.resourceCountIs('AWS::KMS::Key', STORAGE_LAYERS.length);
  });

  test.each(STORAGE_LAYERS)('the %s bucket is encrypted with its own layer key, bucket keys on', (layer) => {
    const bucket = resources[bucketId(layer)];
    const [rule] = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration;
    expect(rule.BucketKeyEnabled).toBe(true);
    expect(rule.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    const keyId = rule.ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0];
    expect(resources[keyId].Type).toBe('AWS::KMS::Key');
    const alias = logicalIdOf('AWS::KMS::Alias', (resource) => resource.Properties.TargetKeyId['Fn::GetAtt'][0] === keyId);
    expect(resources[alias].Properties.AliasName).toBe(layerKeyAlias(names, lob, layer));
  });

  test('no two layers share a key', () => {
    const keys = STORAGE_LAYERS.map((layer) =>
      resources[bucketId(layer)].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0]);
    expect(new Set(keys).size).toBe(STORAGE_LAYERS.length);
  });

  test.each(STORAGE_LAYERS)('the %s bucket is versioned, private, ACL-free and logged', (layer) => {
    const { Properties: bucket } = resources[bucketId(layer)];
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.LoggingConfiguration).toEqual({
      DestinationBucketName: accessLogBucketName(names),
      LogFilePrefix: `${dataBucketName(names, lob, layer)}/`,
      TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
    });
  });

  test.each(STORAGE_LAYERS)('the %s bucket policy requires TLS 1.2 and the layer key', (layer) => {
    const id = bucketId(layer);
    const keyId = resources[id].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0];
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          Match.objectLike({
            Effect: 'Deny', Action: 's3:PutObject',
            Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [keyId, 'Arn'] } } },
          }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:PutObject', Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' } } }),
        ]),
      },
    });
  });

  test.each(STORAGE_LAYERS)('the %s bucket lifecycle follows config and defaults', (layer) => {
    const expected = resolveLifecycle(layer, lobConfig.storage[layer]);
    const [rule] = resources[bucketId(layer)].Properties.LifecycleConfiguration.Rules;
    expect(rule.Status).toBe('Enabled');
    expect(rule.AbortIncompleteMultipartUpload).toEqual({ DaysAfterInitiation: 7 });
    expect(rule.NoncurrentVersionExpiration?.NoncurrentDays).toBe(expected.expireNoncurrentAfterDays);
    expect(rule.ExpirationInDays).toBe(expected.expireAfterDays);
    expect(rule.Transitions ?? []).toEqual((expected.transitions ?? []).map((t) => ({ StorageClass: t.storageClass, TransitionInDays: t.afterDays })));
    if (layer !== 'raw') {
      for (const transition of rule.Transitions ?? []) expect(ARCHIVE_STORAGE_CLASSES.has(transition.StorageClass)).toBe(false);
    }
  });

  test('buckets and keys are retained unless the environment allows destruction', () => {
    const expected = envConfig.allowDataDestruction ? 'Delete' : 'Retain';
    for (const resource of Object.values(resources).filter((r) => ['AWS::S3::Bucket', 'AWS::KMS::Key'].includes(r.Type))) {
      expect(resource.DeletionPolicy).toBe(expected);
      expect(resource.UpdateReplacePolicy).toBe(expected);
    }
    expect(stack.terminationProtection).toBe(!envConfig.allowDataDestruction);
  });

  test('keys rotate and can be used only through S3 by principals of this account', () => {
    for (const key of Object.values(resources).filter((r) => r.Type === 'AWS::KMS::Key')) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      const statements = key.Properties.KeyPolicy.Statement as Array<Record<string, any>>;
      for (const statement of statements) {
        expect([statement.Action].flat()).not.toContain('kms:*');
        if (statement.Principal.Service) {
          expect(statement.Principal.Service).toBe(`logs.${names.region}.amazonaws.com`);
          expect(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toBe(`arn:aws:logs:${names.region}:${names.account}:log-group:/aws-glue/*`);
          continue;
        }
        expect(statement.Principal).toEqual({ AWS: `arn:aws:iam::${names.account}:root` });
        if (statement.Sid === 'DirectUseByNamedRoles') {
          // Only this LoB's Glue roles, for client-side bookmark encryption.
          for (const arn of [statement.Condition.ArnEquals['aws:PrincipalArn']].flat()) expect(arn).toMatch(new RegExp(`^arn:aws:iam::${names.account}:role/acme-${names.environment}-${lob}-(crawler|curation)$`));
          continue;
        }
      }
      const use = statements.find((statement) => statement.Sid === 'UseThroughS3ByAccountPrincipals');
      expect(use?.Condition).toEqual({ StringEquals: { 'kms:ViaService': `s3.${names.region}.amazonaws.com`, 'kms:CallerAccount': names.account } });
    }
  });

  test('every taggable resource carries lob, environment and cost-center; buckets and keys their layer', () => {
    for (const [id, resource] of Object.entries(resources)) {
      if (!['AWS::S3::Bucket', 'AWS::KMS::Key'].includes(resource.Type)) continue;
      const tags = Object.fromEntries((resource.Properties.Tags as Array<{ Key: string; Value: string }>).map((tag) => [tag.Key, tag.Value]));
      expect(tags).toMatchObject({ 'lob': lob, 'environment': environment, 'cost-center': lobConfig.costCenter });
      expect(STORAGE_LAYERS).toContain(tags.layer);
      expect(id.toLowerCase()).toContain(tags.layer);
    }
  });

  test('bucket names are derived, valid and at most 63 characters', () => {
    for (const layer of STORAGE_LAYERS) {
      const name = dataBucketName(names, lob, layer);
      expect(name).toBe(`acme-${environment}-${lob}-${layer}-${names.account}-${names.region}`);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
    }
  });

  test('exports each bucket name and key ARN', () => {
    for (const layer of STORAGE_LAYERS) {
      const pascal = layer.charAt(0).toUpperCase() + layer.slice(1);
      template.hasOutput(`${pascal}BucketName`, { Value: { Ref: bucketId(layer) } });
      template.hasOutput(`${pascal}KeyArn`, {});
    }
  });

  test('deploys after the platform stack that owns its access-log bucket', () => {
    if (stage.platformStack) expect(stack.dependencies).toContain(stage.platformStack);
    expect(app.node.tryFindChild(environment)).toBe(stage);
  });
});

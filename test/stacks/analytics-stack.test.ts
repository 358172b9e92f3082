import { Match } from 'aws-cdk-lib/assertions';
import { namedQueries } from '../../lib/analytics/named-queries';
import { dataBucketName, glueDatabaseName } from '../../lib/config/names';
import { lobStackCases, templateOf } from '../helpers/sample-app';
import { describeTemplateSnapshot } from '../helpers/template-snapshot';

describe.each(lobStackCases((stacks) => stacks.analytics))('$environment/$lob-analytics', ({ lob, stack, names, lobConfig, stacks }) => {
  const template = templateOf(stack);

  describeTemplateSnapshot(template.toJSON());

  test.each(lobConfig.personas.map((p) => p.name))('persona %s has an enforced engine-v3 workgroup writing encrypted results under its own prefix', (persona) => {
    const name = `acme-${names.environment}-${lob}-${persona}`;
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: name,
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: lobConfig.analytics.bytesScannedCutoffMb * 1024 * 1024,
        ResultConfiguration: {
          OutputLocation: `s3://${dataBucketName(names, lob, 'results')}/${name}/`,
          ExpectedBucketOwner: names.account,
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: { 'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp('ResultsKey') }) } },
        },
      }),
    });
  });

  test('each workgroup holds every named query of the LoB, against this environment\'s databases', () => {
    const queries = namedQueries(lob);
    expect(queries.length).toBeGreaterThan(0);
    const named = Object.values(template.findResources('AWS::Athena::NamedQuery')).map((r: any) => r.Properties);
    expect(named).toHaveLength(queries.length * lobConfig.personas.length);
    for (const query of named) {
      expect(query.QueryString).not.toContain('{{');
      expect(query.QueryString).toContain(glueDatabaseName(names, lob, 'enriched'));
    }
  });

  test('persona roles may use only their own workgroup and results prefix', () => {
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[];
    expect(policies).toHaveLength(lobConfig.personas.length);
    for (const policy of policies) {
      const statements = policy.Properties.PolicyDocument.Statement;
      const workgroup = statements.find((s: any) => s.Sid === 'UseOwnWorkgroup').Resource;
      const persona = workgroup.split('/').pop();
      expect(policy.Properties.Roles).toEqual([persona]);
      expect(statements.find((s: any) => s.Sid === 'ReadWriteOwnResults').Resource).toBe(`arn:aws:s3:::${dataBucketName(names, lob, 'results')}/${persona}/*`);
    }
    expect(stack.dependencies).toContain(stacks.governance);
  });
});

/**
 * Athena writes CTAS and INSERT files with the workgroup's result encryption (enforced, the results
 * key); every data layer's bucket policy denies any upload naming another key. Evaluated here on
 * the two templates: a write through any workgroup into any layer is refused, a result is not.
 */
describe.each(lobStackCases((stacks) => stacks.analytics))('$environment/$lob: writes through Athena', ({ stacks, lobConfig }) => {
  const storage = templateOf(stacks.storage).toJSON();
  const analytics = templateOf(stacks.analytics).toJSON();
  const keyOfOutput = (output: string) => storage.Outputs[output].Value['Fn::GetAtt'][0] as string;
  const bucketPolicy = (bucketId: string) => (Object.values(storage.Resources) as any[])
    .find((resource) => resource.Type === 'AWS::S3::BucketPolicy' && resource.Properties.Bucket.Ref === bucketId).Properties.PolicyDocument.Statement as any[];
  /** Whether a Deny of the bucket's policy applies to a PutObject that names `keyId`'s ARN. */
  const putDenied = (bucketId: string, keyId: string) => bucketPolicy(bucketId).some((statement) => statement.Effect === 'Deny'
    && [statement.Action].flat().some((action: string) => action === 's3:PutObject' || action === 's3:*')
    && Object.entries(statement.Condition ?? {}).every(([operator, condition]) => {
      if (operator === 'StringNotEqualsIfExists' && 's3:x-amz-server-side-encryption-aws-kms-key-id' in (condition as object)) {
        return (condition as any)['s3:x-amz-server-side-encryption-aws-kms-key-id']['Fn::GetAtt'][0] !== keyId;
      }
      return false; // TLS and encryption-type conditions do not hold for an SSE-KMS request over TLS 1.2+
    }));
  const bucketIdOf = (layer: string) => Object.entries(storage.Resources as Record<string, any>)
    .find(([, resource]) => resource.Type === 'AWS::S3::Bucket' && resource.Properties.BucketName.includes(`-${layer}-`))![0];
  const workgroups = Object.values(analytics.Resources as Record<string, any>).filter((resource) => resource.Type === 'AWS::Athena::WorkGroup');

  test('every workgroup enforces its result encryption with the results key, which no layer uses', () => {
    expect(workgroups).toHaveLength(lobConfig.personas.length);
    for (const workgroup of workgroups) {
      const configuration = workgroup.Properties.WorkGroupConfiguration;
      expect(configuration.EnforceWorkGroupConfiguration).toBe(true);
      expect(keyOfOutput(configuration.ResultConfiguration.EncryptionConfiguration.KmsKey['Fn::GetStackOutput'].OutputName)).toMatch(/^ResultsKey/);
      expect(workgroup.Properties.Description).toContain('CTAS and INSERT into its layers are refused');
    }
  });

  test.each(['raw', 'standardized', 'conformed', 'enriched'])('a CTAS or INSERT into %s is refused; the layer\'s own key is accepted', (layer) => {
    for (const workgroup of workgroups) {
      const resultsKey = keyOfOutput(workgroup.Properties.WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration.KmsKey['Fn::GetStackOutput'].OutputName);
      expect(putDenied(bucketIdOf(layer), resultsKey)).toBe(true);
    }
    const layerKey = storage.Resources[bucketIdOf(layer)].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0];
    expect(putDenied(bucketIdOf(layer), layerKey)).toBe(false);
    expect(putDenied(bucketIdOf('results'), keyOfOutput(workgroups[0].Properties.WorkGroupConfiguration.ResultConfiguration.EncryptionConfiguration.KmsKey['Fn::GetStackOutput'].OutputName))).toBe(false);
  });
});

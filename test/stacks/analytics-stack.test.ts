import { Match } from 'aws-cdk-lib/assertions';
import { namedQueries } from '../../lib/analytics/named-queries';
import { dataBucketName, glueDatabaseName } from '../../lib/config/names';
import { lobStackCases, templateOf } from '../helpers/sample-app';

describe.each(lobStackCases((stacks) => stacks.analytics))('$environment/$lob-analytics', ({ lob, stack, names, lobConfig, stacks }) => {
  const template = templateOf(stack);

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

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

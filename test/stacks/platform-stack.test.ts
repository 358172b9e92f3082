import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { PlatformStack } from '../../lib/stacks/platform-stack';
import { platformTerminationProtection } from '../../lib/stages/data-lake-stage';
import { parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { sampleApp, sampleConfig, synthesizedApp, templateOf } from '../helpers/sample-app';
import { describeTemplateSnapshot } from '../helpers/template-snapshot';

const config = sampleConfig();
const { stages } = sampleApp();

describe.each(stages.filter((stage) => stage.platformStack).map((stage) => ({ environment: stage.stageName, stack: stage.platformStack! })))(
  '$environment/platform',
  ({ environment, stack }) => {
    const template = templateOf(stack);
    const envConfig = config.platform.environments.find((e) => e.name === environment)!;

    describeTemplateSnapshot(template.toJSON());

    test('keeps one name whichever environment owns it', () => {
      expect(stack.node.path).toBe(`${environment}/platform`);
      expect(stack.stackName).toBe('acme-platform');
    });

    test('holds the account\'s access-log bucket: SSE-S3, private, TLS-only, retained, expiring per config', () => {
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: {
          BucketName: `acme-access-logs-${envConfig.account}-${envConfig.region}`,
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          VersioningConfiguration: { Status: 'Enabled' },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: envConfig.accountSettings.accessLogRetentionDays })] },
        },
      });
    });

    test('a redeploy after a destroy can adopt the retained access-log bucket (docs/operations.md)', () => {
      // CloudFormation imports an existing resource only if the template names it and retains it.
      const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
      expect(buckets).toHaveLength(1);
      expect(buckets[0]).toMatchObject({
        DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { BucketName: `acme-access-logs-${envConfig.account}-${envConfig.region}` },
      });
      const operations = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
      expect(operations).toContain('## Redeploying after a destroy');
      expect(operations).toContain(`npx cdk deploy '${environment}/platform' --import-existing-resources`.replace(environment, '<env>'));
    });

    test('lets only the S3 logging service of this account deliver logs', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject',
              Condition: { StringEquals: { 'aws:SourceAccount': envConfig.account } },
            }),
          ]),
        },
      });
    });

    test('makes the configured principals and the CloudFormation execution role Lake Formation admins, appending to existing ones', () => {
      template.resourceCountIs('AWS::LakeFormation::DataLakeSettings', 1);
      template.hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
        Admins: [
          ...envConfig.accountSettings.lakeFormationAdmins.map((arn) => ({ DataLakePrincipalIdentifier: arn })),
          { DataLakePrincipalIdentifier: `arn:aws:iam::${envConfig.account}:role/cdk-hnb659fds-cfn-exec-role-${envConfig.account}-${envConfig.region}` },
        ],
        MutationType: 'APPEND',
        CreateDatabaseDefaultPermissions: [],
        CreateTableDefaultPermissions: [],
      });
    });

    test('defines the LF-tags every LoB grants on, after the settings', () => {
      const tags = template.findResources('AWS::LakeFormation::Tag');
      const settingsId = Object.keys(template.findResources('AWS::LakeFormation::DataLakeSettings'))[0];
      expect(Object.fromEntries(Object.values(tags).map((tag: any) => [tag.Properties.TagKey, tag.Properties.TagValues]))).toEqual({
        environment: [environment],
        lob: config.lobs.map((lob) => lob.name),
        layer: ['raw', 'standardized', 'conformed', 'enriched'],
        classification: ['public', 'internal', 'confidential', 'pii'],
        row_access: ['unrestricted', 'filtered'],
      });
      for (const tag of Object.values(tags) as any[]) expect(tag.DependsOn).toContain(settingsId);
    });

    test('is tagged as platform-owned', () => {
      const tags = template.findResources('AWS::S3::Bucket');
      for (const bucket of Object.values(tags)) {
        expect(bucket.Properties.Tags).toEqual(expect.arrayContaining([
          { Key: 'lob', Value: 'platform' }, { Key: 'environment', Value: environment }, { Key: 'cost-center', Value: config.platform.costCenter },
        ]));
      }
    });
  },
);

/** Lake Formation settings resources per account/region across a whole cloud assembly on disk. */
function settingsPerAccountRegion(outdir: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const stage of fs.readdirSync(outdir).filter((dir) => dir.startsWith('assembly-'))) {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, stage, 'manifest.json'), 'utf8'));
    for (const artifact of Object.values(manifest.artifacts) as any[]) {
      if (artifact.type !== 'aws:cloudformation:stack') continue;
      const template = JSON.parse(fs.readFileSync(path.join(outdir, stage, artifact.properties.templateFile), 'utf8'));
      const settings = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::LakeFormation::DataLakeSettings').length;
      const key = artifact.environment.replace('aws://', '');
      counts.set(key, (counts.get(key) ?? 0) + settings);
    }
  }
  return counts;
}

describe('account-level resources', () => {
  test('the sample assembly has exactly one Lake Formation settings resource per account and region', () => {
    const counts = settingsPerAccountRegion(sampleApp().outdir);
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(config.platform.environments.map((e) => [`${e.account}/${e.region}`, 1])));
  });

  test('the sample app has exactly one platform stack per account and region', () => {
    const platformStacks = stages.flatMap((stage) => stage.node.findAll()).filter((node) => node instanceof PlatformStack) as PlatformStack[];
    const accountRegions = platformStacks.map((stack) => `${stack.account}/${stack.region}`);
    expect(new Set(accountRegions).size).toBe(accountRegions.length);
    const expected = new Set(config.platform.environments.map((e) => `${e.account}/${e.region}`));
    expect(new Set(accountRegions)).toEqual(expected);
  });

  test('environments sharing an account and region share one platform stack, owned by the first', () => {
    const fixture = sampleFixture();
    fixture.platform.environments[1].account = fixture.platform.environments[0].account;
    fixture.platform.environments[1].accountSettings = structuredClone(fixture.platform.environments[0].accountSettings);
    const shared = synthesizedApp(parseFixture(fixture));
    expect(Object.fromEntries(settingsPerAccountRegion(shared.outdir))).toEqual({ '111111111111/eu-west-1': 1 });
    const [dev, prod] = shared.stages;
    expect(dev.platformStack).toBeDefined();
    expect(prod.platformStack).toBeUndefined();
    const platformStacks = shared.app.node.findAll().filter((node) => node instanceof PlatformStack);
    expect(platformStacks).toHaveLength(1);
    // Both environments' buckets still log to the one shared bucket.
    const prodStorage = templateOf(prod.lobStacks.get('finance')!.storage);
    prodStorage.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: Match.objectLike({ DestinationBucketName: 'acme-access-logs-111111111111-eu-west-1' }),
    });
    expect(templateOf(dev.platformStack!).findResources('AWS::S3::Bucket')).toBeDefined();
    templateOf(dev.platformStack!).hasResourceProperties('AWS::S3::Bucket', { Tags: Match.arrayWith([{ Key: 'environment', Value: 'dev+prod' }]) });
    // Both environments' grants name their own environment tag value, so it must exist for both.
    templateOf(dev.platformStack!).hasResourceProperties('AWS::LakeFormation::Tag', { TagKey: 'environment', TagValues: ['dev', 'prod'] });
    // dev owns it and may destroy its data, prod may not: prod's buckets log to its bucket and its
    // grants need its settings and tags, so deleting dev must not delete it.
    expect(fixture.platform.environments.map((e: any) => [e.name, e.allowDataDestruction ?? false])).toEqual([['dev', true], ['prod', false]]);
    expect(dev.platformStack!.terminationProtection).toBe(true);
  });

  test('a shared platform stack is termination-protected whenever any environment sharing it keeps its data', () => {
    const shared = (destroy: [boolean, boolean]) => {
      const platform = structuredClone(sampleConfig().platform);
      platform.environments[1].account = platform.environments[0].account;
      platform.environments.forEach((environment, index) => { environment.allowDataDestruction = destroy[index]; });
      return platform;
    };
    for (const [destroy, expected] of [[[true, false], true], [[false, true], true], [[false, false], true], [[true, true], false]] as const) {
      const platform = shared([...destroy]);
      // The owner (first environment) decides for the stack; every sharer's setting counts.
      expect({ destroy, protected: platformTerminationProtection(platform, platform.environments[0]) }).toEqual({ destroy, protected: expected });
    }
    // Unshared, an environment decides alone.
    const separate = sampleConfig().platform;
    expect(separate.environments.map((environment) => platformTerminationProtection(separate, environment))).toEqual(separate.environments.map((e) => !e.allowDataDestruction));
    for (const stage of stages) expect(stage.platformStack!.terminationProtection).toBe(!stage.environment.allowDataDestruction);
  });
});

test('the pinned CDK CLI can adopt existing resources on deploy (the recovery docs/operations.md gives)', () => {
  const help = execFileSync(path.join(__dirname, '..', '..', 'node_modules', '.bin', 'cdk'), ['deploy', '--help'], {
    encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
  });
  expect(help).toContain('--import-existing-resources');
});

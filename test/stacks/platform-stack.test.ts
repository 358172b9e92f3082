import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { PlatformStack } from '../../lib/stacks/platform-stack';
import { parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { sampleApp, sampleConfig, synthesizedApp, templateOf } from '../helpers/sample-app';

const config = sampleConfig();
const { stages } = sampleApp();

describe.each(stages.filter((stage) => stage.platformStack).map((stage) => ({ environment: stage.stageName, stack: stage.platformStack! })))(
  '$environment/platform',
  ({ environment, stack }) => {
    const template = templateOf(stack);
    const envConfig = config.platform.environments.find((e) => e.name === environment)!;

    test('matches the snapshot', () => {
      expect(template.toJSON()).toMatchSnapshot();
    });

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
  });
});

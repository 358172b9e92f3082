import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { BUILD_NODE_VERSION, SYNTH_COMMANDS } from '../../lib/stacks/pipeline-stack';
import { canonicalCommand, ciRunCommands, glueRuntime, workflowRuns } from '../helpers/ci-commands';
import * as os from 'node:os';
import { loadLakeConfig } from '../../lib/config/load-config';
import { createLakeworksApp } from '../../lib/lakeworks-app';
import { newLob } from '../../scripts/new-lob';
import { parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { SAMPLE_CONFIG_DIR, sampleApp, sampleConfig, synthesizedApp, templateOf, testAppProps } from '../helpers/sample-app';
import { describeTemplateSnapshot } from '../helpers/template-snapshot';

const ROOT = path.join(__dirname, '..', '..');
const config = sampleConfig();
const settings = config.platform.pipeline!;
const { pipeline, stages, outdir } = sampleApp();
const template = templateOf(pipeline!);
const pinnedCli = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies['aws-cdk'];

interface Action { Name: string; RunOrder: number; ActionTypeId: { Category: string; Provider: string }; Configuration?: Record<string, unknown>; RoleArn?: unknown }
interface PipelineStage { Name: string; Actions: Action[] }
const pipelineStages = (): PipelineStage[] => Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0].Properties.Stages;
const projectWithBuildSpec = (fragment: string) => Object.values(template.findResources('AWS::CodeBuild::Project'))
  .map((project) => project.Properties.Source.BuildSpec as string)
  .filter((spec) => spec.includes(fragment));

describe('pipeline', () => {
  describeTemplateSnapshot(template.toJSON());

  test('is part of the app when config enables it, in the pipeline account and region', () => {
    expect(pipeline).toBeDefined();
    expect(pipeline!.node.path).toBe('pipeline');
    expect(pipeline!.stackName).toBe('acme-lakeworks-pipeline');
    expect({ account: pipeline!.account, region: pipeline!.region }).toEqual({ account: settings.account, region: settings.region });
    expect(pipeline!.terminationProtection).toBe(true);
  });

  test('takes its source from the CodeConnections connection, repository and branch in config', () => {
    const [source] = pipelineStages();
    expect(source.Actions).toEqual([expect.objectContaining({
      ActionTypeId: expect.objectContaining({ Category: 'Source', Provider: 'CodeStarSourceConnection' }),
      Configuration: expect.objectContaining({ ConnectionArn: settings.connectionArn, FullRepositoryId: settings.repository, BranchName: settings.branch }),
    })]);
  });

  test('the source action\'s role may use the connection under both IAM prefixes (codeconnections ARNs need codeconnections:UseConnection; CDK adds only the codestar-connections one)', () => {
    const [source] = pipelineStages();
    const roleId = (source.Actions[0].RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown; Effect: string }>);
    const allowedOn = (action: string) => statements.filter((statement) => statement.Effect === 'Allow' && [statement.Action].flat().includes(action))
      .flatMap((statement) => [statement.Resource].flat());
    expect(settings.connectionArn).toMatch(/^arn:aws:codeconnections:/);
    expect(allowedOn('codeconnections:UseConnection')).toEqual([settings.connectionArn]);
    expect(allowedOn('codestar-connections:UseConnection')).toContain(settings.connectionArn);
  });

  test('synthesizes with the commands .ci/run runs, then the synth the GitHub workflow runs', () => {
    expect(SYNTH_COMMANDS.slice(0, -1)).toEqual(ciRunCommands());
    expect(canonicalCommand(SYNTH_COMMANDS.at(-1)!)).toBe(canonicalCommand(workflowRuns('test').at(-1)!));
    const [synth] = projectWithBuildSpec('npm run synth');
    expect(JSON.parse(synth)).toMatchObject({
      phases: { build: { commands: [...SYNTH_COMMANDS] } },
      artifacts: { 'base-directory': 'cdk.out' },
    });
  });

  test('the synth step installs the CI machine\'s Node.js and the Glue runtime\'s Java and Python; the other steps Node.js alone', () => {
    const runtime = glueRuntime();
    const [synth] = projectWithBuildSpec('npm run synth');
    expect(JSON.parse(synth).phases.install).toEqual({
      'runtime-versions': { nodejs: BUILD_NODE_VERSION, java: `corretto${runtime.java}`, python: runtime.python },
    });
    const others = Object.values(template.findResources('AWS::CodeBuild::Project'))
      .map((project) => JSON.parse(project.Properties.Source.BuildSpec as string))
      .filter((spec) => !JSON.stringify(spec).includes('npm run synth'));
    expect(others.length).toBeGreaterThanOrEqual(2); // self-mutation, assets
    for (const spec of others) expect(spec.phases.install['runtime-versions']).toEqual({ nodejs: BUILD_NODE_VERSION });
    expect(fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'lakeworks.yml'), 'utf8')).toContain(`node-version: ${BUILD_NODE_VERSION}`);
  });

  test('mutates itself with the CDK CLI version package.json pins', () => {
    expect(pipelineStages().map((stage) => stage.Name).slice(0, 4)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets']);
    const [selfMutation] = projectWithBuildSpec('deploy pipeline');
    expect(JSON.parse(selfMutation).phases.install.commands).toEqual([`npm install -g aws-cdk@${pinnedCli}`]);
  });

  test('publishes assets with the pinned CDK CLI for every environment (the latest cdk-assets cannot read this cloud assembly)', () => {
    const [assets] = projectWithBuildSpec('publish-assets');
    expect(JSON.parse(assets).phases).toEqual({
      install: { 'runtime-versions': { nodejs: BUILD_NODE_VERSION }, commands: [`npm install -g aws-cdk@${pinnedCli}`] },
      build: { commands: [`cdk --app . publish-assets --unstable=publish-assets ${stages.map((stage) => `'${stage.stageName}/**'`).join(' ')}`] },
    });
    expect(projectWithBuildSpec('cdk-assets ')).toEqual([]);
  });

  test('the pinned CLI reads the synthesized assembly and those patterns select every stack of every environment', () => {
    const listed = execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk'), ['--app', outdir, 'ls', ...stages.map((stage) => `${stage.stageName}/**`)], {
      cwd: outdir, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
    });
    const expected = stages.flatMap((stage) => stage.node.findAll().filter((construct) => construct.node.scope === stage && 'templateFile' in construct)
      .map((stack) => stack.node.path));
    expect(listed.trim().split('\n').map((line) => line.split(' ')[0]).sort()).toEqual(expected.sort());
  });

  test('deploys each environment in config order, every stack through that account\'s CDK deploy role', () => {
    const environmentStages = pipelineStages().slice(4);
    expect(environmentStages.map((stage) => stage.Name)).toEqual(config.platform.environments.map((environment) => environment.name));
    for (const [index, environment] of config.platform.environments.entries()) {
      const deploys = environmentStages[index].Actions.filter((action) => action.ActionTypeId.Category === 'Deploy');
      const stackNames = stages[index].node.findAll().filter((construct) => 'templateFile' in construct).map((stack) => (stack as unknown as { stackName: string }).stackName);
      expect(new Set(deploys.map((action) => action.Configuration!.StackName))).toEqual(new Set(stackNames));
      for (const action of deploys) {
        expect(JSON.stringify(action.RoleArn)).toContain(`:iam::${environment.account}:role/cdk-hnb659fds-deploy-role-${environment.account}-${environment.region}`);
      }
    }
  });

  test('waits for a manual approval before any environment that requires it, and only there', () => {
    for (const [index, environment] of config.platform.environments.entries()) {
      const { Actions } = pipelineStages()[4 + index];
      const approvals = Actions.filter((action) => action.ActionTypeId.Category === 'Approval');
      if (environment.requireApproval) {
        expect(approvals).toHaveLength(1);
        const firstDeploy = Math.min(...Actions.filter((action) => action.ActionTypeId.Category === 'Deploy').map((action) => action.RunOrder));
        expect(approvals[0].RunOrder).toBeLessThan(firstDeploy);
      } else {
        expect(approvals).toEqual([]);
      }
    }
    expect(config.platform.environments.some((environment) => environment.requireApproval)).toBe(true);
  });

  test('keeps artifacts in a KMS-encrypted, versioned, TLS-only, logged bucket with its own rotating key', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'artifacts/' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      },
    });
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
      ArtifactStore: { Type: 'S3', EncryptionKey: { Type: 'KMS', Id: Match.anyValue() }, Location: Match.anyValue() },
    });
  });

  test('lets the deploy role of each other account read artifacts: cross-account keys', () => {
    const keyPolicy = JSON.stringify(Object.values(template.findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy);
    for (const environment of config.platform.environments.filter((e) => e.account !== settings.account)) {
      expect(keyPolicy).toContain(`:iam::${environment.account}:role/cdk-hnb659fds-deploy-role-${environment.account}-${environment.region}`);
    }
  });
});

describe('pipeline variants', () => {
  test('an environment with more stacks than one CodePipeline stage holds (50 actions) continues in further stages', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-many-lobs-'));
    fs.cpSync(SAMPLE_CONFIG_DIR, dir, { recursive: true });
    for (const name of ['lob-a', 'lob-b', 'lob-c', 'lob-d', 'lob-e', 'lob-f']) newLob(name, dir);
    const { pipeline: large } = createLakeworksApp(loadLakeConfig(dir), testAppProps());
    const stages = large!.pipeline.pipeline.stages.map((stage) => ({ name: stage.stageName, actions: stage.actions.length }));
    expect(stages.filter((stage) => stage.name.startsWith('dev')).map((stage) => stage.name)).toEqual(['dev.1', 'dev.2']);
    expect(Math.max(...stages.map((stage) => stage.actions))).toBeLessThanOrEqual(50);
  });

  test('no pipeline stack when config disables it', () => {
    const fixture = sampleFixture();
    fixture.platform.pipeline.enabled = false;
    const app = synthesizedApp(parseFixture(fixture));
    expect(app.pipeline).toBeUndefined();
    expect(app.app.node.tryFindChild('pipeline')).toBeUndefined();
  });

  test('grants no other account when every environment lives in the pipeline account', () => {
    const fixture = sampleFixture();
    fixture.platform.environments[1].account = fixture.platform.environments[0].account;
    fixture.platform.environments[1].accountSettings = structuredClone(fixture.platform.environments[0].accountSettings);
    fixture.platform.environments[1].quickSight.principals = fixture.platform.environments[0].quickSight.principals;
    fixture.platform.pipeline.account = fixture.platform.environments[0].account;
    fixture.platform.pipeline.connectionArn = fixture.platform.pipeline.connectionArn.replace('333333333333', fixture.platform.environments[0].account);
    const { pipeline: sameAccount } = synthesizedApp(parseFixture(fixture));
    const keyPolicy = JSON.stringify(Object.values(templateOf(sameAccount!).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy);
    expect(keyPolicy.match(/:iam::\d{12}:/g)!.every((match) => match === `:iam::${fixture.platform.environments[0].account}:`)).toBe(true);
  });
});

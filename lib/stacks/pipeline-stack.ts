/**
 * The delivery pipeline (CDK Pipelines), deployed once into the tooling account named by
 * `pipeline:` in platform.yaml: source from a CodeConnections connection; a synth step running the
 * same commands as `.ci/run` (`npm ci`, the Spark side's set-up, `npm test`) and then `npm run synth`;
 * self-mutation; then each environment's DataLakeStage in config order, with a manual approval
 * before any environment marked `requireApproval`. The stages are the very objects
 * `cdk deploy 'dev/**'` deploys from a laptop, so both paths deploy the same stacks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import type { Construct } from 'constructs';
import { acknowledgeGeneratedPolicy, acknowledgeRule } from '../compliance/security-baseline';
import { pipelineArtifactsKeyAlias, pipelineName } from '../config/names';
import type { PipelineConfig } from '../config/platform-schema';
import { PipelineArtifacts } from '../constructs/pipeline-artifacts';
import type { DataLakeStage } from '../stages/data-lake-stage';

/**
 * The commands of the synth step: those of `.ci/run` (the lockfile's packages, the Spark side, the
 * TypeScript and Spark tests), then the synth whose output is deployed.
 */
export const SYNTH_COMMANDS = ['npm ci --no-audit --no-fund', 'bash scripts/setup-spark.sh', 'npm test', 'npm run synth'] as const;

/** The Node.js major version CodeBuild installs, matching `engines` and the CI machine. */
export const BUILD_NODE_VERSION = 20;

/**
 * The runtimes the synth step installs besides Node.js for the Spark side (scripts/setup-spark.sh
 * and the Spark tests): the Java and Python of the Glue version the jobs declare
 * (glue-scripts/glue-runtime.json), as the standard:7.0 image names them (`java: corretto17`,
 * `python: '3.11'`). Maven, which fetches the Iceberg runtime, is not a runtime-version: this relies
 * on the standard image having it on PATH (it installs Maven 3.9 under /opt/maven).
 */
export const SYNTH_SPARK_RUNTIME_VERSIONS = sparkRuntimeVersions();

export interface PipelineStackProps extends StackProps {
  readonly organisation: string;
  readonly pipeline: PipelineConfig;
  /** One stage per environment, in deployment order. */
  readonly stages: readonly DataLakeStage[];
  /**
   * The aws-cdk CLI version the pipeline's self-mutation and asset steps install. CDK Pipelines
   * installs the latest CLI otherwise, which may refuse this aws-cdk-lib's cloud assembly.
   * @default the version package.json pins
   */
  readonly cliVersion?: string;
}

export class PipelineStack extends Stack {
  public readonly pipeline: pipelines.CodePipeline;
  public readonly artifacts: PipelineArtifacts;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const name = pipelineName(props.organisation);
    const cliVersion = props.cliVersion ?? pinnedCliVersion();
    this.artifacts = new PipelineArtifacts(this, 'Artifacts', { keyAlias: pipelineArtifactsKeyAlias(props.organisation) });

    this.pipeline = new pipelines.CodePipeline(this, 'Delivery', {
      codePipeline: new codepipeline.Pipeline(this, 'Pipeline', {
        pipelineName: name,
        pipelineType: codepipeline.PipelineType.V2,
        artifactBucket: this.artifacts.bucket,
        restartExecutionOnUpdate: true,
      }),
      synth: new pipelines.ShellStep('Synth', {
        input: pipelines.CodePipelineSource.connection(props.pipeline.repository, props.pipeline.branch, {
          connectionArn: props.pipeline.connectionArn,
        }),
        commands: [...SYNTH_COMMANDS],
        env: { CI: 'true' },
      }),
      selfMutation: true,
      // One CloudFormation action per stack rather than two (create a change set, execute it):
      // the same deployment, with half the actions and half the pipeline template, which grows
      // with every stack of every environment (docs/benchmarks.md, "Scale").
      useChangeSets: false,
      cliVersion,
      // One CodeBuild project publishes every file asset, instead of one project per asset.
      publishAssetsInParallel: false,
      codeBuildDefaults: {
        buildEnvironment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0 },
        partialBuildSpec: codebuild.BuildSpec.fromObject({ phases: { install: { 'runtime-versions': { nodejs: BUILD_NODE_VERSION } } } }),
      },
      // The tests run DuckDB, an embedded S3 endpoint and local Spark: more than the smallest machine.
      // Only the synth step needs Java and Python: CDK Pipelines merges this partial buildspec into
      // codeBuildDefaults' for the synth project alone, so the self-mutation and asset projects keep
      // installing Node.js only.
      synthCodeBuildDefaults: {
        buildEnvironment: { computeType: codebuild.ComputeType.MEDIUM },
        partialBuildSpec: codebuild.BuildSpec.fromObject({ phases: { install: { 'runtime-versions': SYNTH_SPARK_RUNTIME_VERSIONS } } }),
      },
    });

    const deployments: pipelines.StageDeployment[] = [];
    for (const stage of props.stages) {
      const { environment } = stage;
      deployments.push(this.pipeline.addStage(stage, {
        pre: environment.requireApproval
          ? [new pipelines.ManualApprovalStep(`approve-${environment.name}`, {
            comment: `Deploy Lakeworks to ${environment.name} (${environment.account}/${environment.region})?`,
          })]
          : [],
      }));
    }
    this.pipeline.buildPipeline();
    this.allowCodeConnectionsSource(props.pipeline.connectionArn);
    this.publishAssetsWithPinnedCli(cliVersion, props.stages, deployments);
    this.acknowledgeGeneratedResources();
  }

  /**
   * CDK Pipelines publishes assets with the standalone `cdk-assets` tool, which it installs at its
   * latest version; today that version reads cloud assembly schema 54 at most, and this aws-cdk-lib
   * writes 55, so every asset step would fail. Publish them instead with the CDK CLI this project
   * pins, the same tool that deploys from a laptop. Like `cdk deploy`, the CLI first checks the
   * target's bootstrap version through the deploy role, so the asset role may assume it too.
   */
  private publishAssetsWithPinnedCli(cliVersion: string, stages: readonly DataLakeStage[], deployments: readonly pipelines.StageDeployment[]): void {
    const assets = this.pipeline.node.findChild('Assets');
    const project = assets.node.findChild('FileAsset').node.defaultChild as codebuild.CfnProject;
    project.addPropertyOverride('Source.BuildSpec', JSON.stringify({
      version: '0.2',
      phases: {
        install: { 'runtime-versions': { nodejs: BUILD_NODE_VERSION }, commands: [`npm install -g aws-cdk@${cliVersion}`] },
        build: { commands: [`cdk --app . publish-assets --unstable=publish-assets ${stages.map((stage) => `'${stage.stageName}/**'`).join(' ')}`] },
      },
    }, undefined, 2));
    // The deploy roles the pipeline's own plan assumes, one per stack: CDK Pipelines read them from
    // each stage's cloud assembly when the stage was added (addStage synthesizes the stage, the only
    // way to learn its stacks, assets and roles), so nothing is synthesized a second time here.
    const deployRoles = new Set(deployments.flatMap((deployment) => deployment.stacks.map((stack) => stack.assumeRoleArn))
      .filter((arn): arn is string => arn !== undefined));
    (assets.node.findChild('FileRole') as iam.Role).addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'CheckBootstrapVersionOfTargets',
      actions: ['sts:AssumeRole'],
      resources: [...deployRoles].map((arn) => Fn.sub(arn)),
    }));
  }

  /**
   * The source action's role (generated by CDK Pipelines) may only `codestar-connections:UseConnection`.
   * Connections created since AWS renamed the service have `arn:aws:codeconnections:` ARNs, which
   * IAM authorizes under the `codeconnections` prefix: add that action on the configured connection.
   */
  private allowCodeConnectionsSource(connectionArn: string): void {
    const source = this.pipeline.pipeline.node.findChild('Source');
    const roles = source.node.findAll().filter((construct): construct is iam.Role => construct instanceof iam.Role);
    if (roles.length !== 1) throw new Error(`expected one source action role under ${source.node.path}; found ${roles.length}`);
    roles[0].addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'UseCodeConnection',
      actions: ['codeconnections:UseConnection'],
      resources: [connectionArn],
    }));
  }

  /** CDK Pipelines writes its own roles and build projects; these are what we cannot change. */
  private acknowledgeGeneratedResources(): void {
    for (const construct of this.node.findAll()) {
      if (construct instanceof iam.CfnPolicy) {
        acknowledgeGeneratedPolicy(construct, 'Generated by CDK Pipelines for its own source, build, asset and self-mutation roles: '
          + 'wildcards cover the pipeline\'s artifact bucket and key, its CodeBuild log and report groups, and the CDK bootstrap '
          + 'roles (tagged aws-cdk:bootstrap-role) it assumes to deploy.');
      }
      if (construct instanceof codebuild.CfnProject && Stack.of(this).resolve(construct.source).type === 'CODEPIPELINE') {
        // The rule looks for OAuth on GitHub/Bitbucket sources; these projects have no repository
        // of their own and read the source the CodeConnections action fetched.
        acknowledgeRule(construct, ['HIPAA.Security', 'PCI.DSS.321'], 'CodeBuildProjectSourceRepoUrl',
          'The project\'s source is the pipeline (CODEPIPELINE): no repository URL or credentials; the repository is reached through a CodeConnections connection.');
      }
    }
  }
}

function sparkRuntimeVersions(): { java: string; python: string } {
  const runtime = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'glue-scripts', 'glue-runtime.json'), 'utf8'));
  // A string, not a number: YAML or JSON would read 3.10 as 3.1.
  return { java: `corretto${runtime.java}`, python: String(runtime.python) };
}

function pinnedCliVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  return manifest.devDependencies['aws-cdk'];
}

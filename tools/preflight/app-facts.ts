/**
 * What preflight needs to know about the app, read from the synthesized templates of one
 * environment rather than restated here: the CDK bootstrap version they require, the Lambda
 * concurrency they reserve, and the buckets they create with fixed names. A change to the stacks
 * (a reservation made opt-in, a new function) changes these facts without touching preflight.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LakeConfig } from '../../lib/config/load-config';
import type { EnvironmentConfig } from '../../lib/config/platform-schema';
import { createLakeworksApp } from '../../lib/lakeworks-app';

/** The qualifier `cdk bootstrap` uses unless told otherwise (DefaultStackSynthesizer.DEFAULT_QUALIFIER). */
export const DEFAULT_QUALIFIER = 'hnb659fds';
export const DEFAULT_TOOLKIT_STACK_NAME = 'CDKToolkit';
export const QUALIFIER_CONTEXT = '@aws-cdk/core:bootstrapQualifier';

export interface BootstrapRequirement {
  readonly qualifier: string;
  /** The bootstrap stack's name: `toolkitStackName` in cdk.json, or CDKToolkit. */
  readonly toolkitStackName: string;
  /** The lowest bootstrap version every synthesized template accepts; undefined if none states one. */
  readonly minimumVersion?: number;
  /** The SSM parameter the templates' BootstrapVersion parameter reads. */
  readonly versionParameter: string;
}

/** A Lambda function the app creates with reserved concurrency. */
export interface Reservation {
  /** The line of business whose stack holds the function, if any. */
  readonly lob?: string;
  /** The stack's construct path, e.g. `dev/finance-transform`. */
  readonly stackPath: string;
  /** The function's name (its logical id when the template does not fix one). */
  readonly functionName: string;
  readonly reserved: number;
}

/** A bucket the app creates with a fixed name. */
export interface NamedBucket {
  readonly name: string;
  readonly stackName: string;
  /** The construct path `cdk deploy` selects the stack by, e.g. `dev/finance-storage`. */
  readonly stackPath: string;
  /** CloudFormation's DeletionPolicy of the bucket (Delete when the template sets none). */
  readonly deletionPolicy: string;
}

export interface AppFacts {
  readonly bootstrap: BootstrapRequirement;
  readonly reservations: readonly Reservation[];
  readonly buckets: readonly NamedBucket[];
}

/** A synthesized stack, as the pure helpers below read it. */
export interface SynthesizedStack {
  readonly stackName: string;
  readonly path: string;
  readonly template: CfnTemplate;
  /** The bootstrap version the cloud assembly manifest says the stack's deploy role needs. */
  readonly requiresBootstrapStackVersion?: number;
  readonly lob?: string;
}

interface CfnTemplate {
  readonly Parameters?: Record<string, { Default?: unknown }>;
  readonly Rules?: Record<string, { Assertions?: { Assert?: unknown }[] }>;
  readonly Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }>;
}

/**
 * The lowest bootstrap version a template accepts. aws-cdk-lib writes it as
 * `Rules.CheckBootstrapVersion`: `Fn::Not [Fn::Contains [["1", ..., "N-1"], Ref BootstrapVersion]]`,
 * i.e. every version below the minimum is refused.
 */
export function templateMinimumBootstrapVersion(template: CfnTemplate): number | undefined {
  let minimum: number | undefined;
  for (const assertion of template.Rules?.CheckBootstrapVersion?.Assertions ?? []) {
    const refused = refusedVersions(assertion.Assert);
    if (refused && refused.length > 0) minimum = Math.max(minimum ?? 0, Math.max(...refused) + 1);
  }
  return minimum;
}

function refusedVersions(assert: unknown): number[] | undefined {
  const not = (assert as { 'Fn::Not'?: unknown[] } | undefined)?.['Fn::Not'];
  const contains = (not?.[0] as { 'Fn::Contains'?: unknown[] } | undefined)?.['Fn::Contains'];
  const [list, value] = contains ?? [];
  if (!Array.isArray(list) || (value as { Ref?: unknown } | undefined)?.Ref !== 'BootstrapVersion') return undefined;
  const versions = list.map(Number);
  return versions.every(Number.isInteger) ? versions : undefined;
}

/** What the stacks need of the bootstrap stack: the highest minimum any of them states. */
export function bootstrapRequirement(stacks: readonly SynthesizedStack[], qualifier: string, toolkitStackName: string): BootstrapRequirement {
  const minimums = stacks.flatMap((stack) => [templateMinimumBootstrapVersion(stack.template), stack.requiresBootstrapStackVersion])
    .filter((version): version is number => version !== undefined);
  const parameter = stacks.map((stack) => stack.template.Parameters?.BootstrapVersion?.Default).find((value) => typeof value === 'string');
  return {
    qualifier,
    toolkitStackName,
    minimumVersion: minimums.length > 0 ? Math.max(...minimums) : undefined,
    versionParameter: (parameter as string | undefined) ?? `/cdk-bootstrap/${qualifier}/version`,
  };
}

/** Every function the stacks create with `ReservedConcurrentExecutions`: the one place reservations are counted. */
export function reservedConcurrency(stacks: readonly SynthesizedStack[]): Reservation[] {
  return stacks.flatMap((stack) => Object.entries(stack.template.Resources ?? {}).flatMap(([logicalId, resource]) => {
    const reserved = resource.Properties?.ReservedConcurrentExecutions;
    if (resource.Type !== 'AWS::Lambda::Function' || typeof reserved !== 'number') return [];
    const name = resource.Properties?.FunctionName;
    return [{ lob: stack.lob, stackPath: stack.path, functionName: typeof name === 'string' ? name : logicalId, reserved }];
  }));
}

export function totalReserved(reservations: readonly Reservation[]): number {
  return reservations.reduce((sum, reservation) => sum + reservation.reserved, 0);
}

/** Buckets the stacks create under a fixed name. */
export function namedBuckets(stacks: readonly SynthesizedStack[]): NamedBucket[] {
  return stacks.flatMap((stack) => Object.values(stack.template.Resources ?? {}).flatMap((resource) => {
    const name = resource.Properties?.BucketName;
    if (resource.Type !== 'AWS::S3::Bucket' || typeof name !== 'string') return [];
    return [{ name, stackName: stack.stackName, stackPath: stack.path, deletionPolicy: resource.DeletionPolicy ?? 'Delete' }];
  }));
}

export function factsFromStacks(stacks: readonly SynthesizedStack[], qualifier: string, toolkitStackName: string): AppFacts {
  return { bootstrap: bootstrapRequirement(stacks, qualifier, toolkitStackName), reservations: reservedConcurrency(stacks), buckets: namedBuckets(stacks) };
}

export interface CdkSettings {
  readonly context: Record<string, unknown>;
  readonly qualifier: string;
  readonly toolkitStackName: string;
}

/** cdk.json's context (feature flags change what is synthesized), qualifier and toolkit stack name. */
export function readCdkSettings(cdkJsonPath = 'cdk.json'): CdkSettings {
  const cdkJson = fs.existsSync(cdkJsonPath) ? JSON.parse(fs.readFileSync(cdkJsonPath, 'utf8')) as { context?: Record<string, unknown>; toolkitStackName?: unknown } : {};
  const context = cdkJson.context ?? {};
  const qualifier = context[QUALIFIER_CONTEXT];
  return {
    context,
    qualifier: typeof qualifier === 'string' && qualifier ? qualifier : DEFAULT_QUALIFIER,
    toolkitStackName: typeof cdkJson.toolkitStackName === 'string' && cdkJson.toolkitStackName ? cdkJson.toolkitStackName : DEFAULT_TOOLKIT_STACK_NAME,
  };
}

/**
 * Synthesizes one environment's stage, as `cdk synth` would with cdk.json's context, into a
 * temporary directory that is removed afterwards. Lambda bundling is skipped (it changes no
 * template property preflight reads) and so is the security baseline, which runs on the whole app:
 * `npx cdk synth` checks that.
 */
export function synthesizeAppFacts(config: LakeConfig, environment: EnvironmentConfig, settings: CdkSettings = readCdkSettings()): AppFacts {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-preflight-'));
  const deprecations = process.env.JSII_DEPRECATED;
  // aws-cdk-lib prints deprecation warnings on stdout, which would break --json.
  process.env.JSII_DEPRECATED = 'quiet';
  try {
    const { stages } = createLakeworksApp(config, {
      context: { ...settings.context, 'aws:cdk:bundling-stacks': [] }, outdir, analyticsReporting: false,
    });
    const stage = stages.find((candidate) => candidate.stageName === environment.name);
    if (!stage) throw new Error(`the app has no stage for environment ${environment.name}`);
    const lobOf = new Map<string, string>();
    for (const [lob, stacks] of stage.lobStacks) {
      for (const stack of Object.values(stacks)) if (stack) lobOf.set(stack.stackName, lob);
    }
    const stacks: SynthesizedStack[] = stage.synth().stacks.map((artifact) => ({
      stackName: artifact.stackName,
      path: artifact.hierarchicalId,
      template: artifact.template,
      requiresBootstrapStackVersion: artifact.requiresBootstrapStackVersion,
      lob: lobOf.get(artifact.stackName),
    }));
    return factsFromStacks(stacks, settings.qualifier, settings.toolkitStackName);
  } finally {
    if (deprecations === undefined) delete process.env.JSII_DEPRECATED;
    else process.env.JSII_DEPRECATED = deprecations;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The security baseline, enforced at synth: every rule pack below runs as a CDK validation plugin,
 * and CloudFormation Validate findings are errors. Any unacknowledged finding fails `cdk synth`,
 * `cdk deploy` and the test suite alike; acknowledgements sit next to the resource they excuse.
 */
import type { App } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Stack, Validations } from 'aws-cdk-lib';
import type { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, ServerlessChecks } from 'cdk-nag';

/** Context flag that turns CloudFormation Validate findings from warnings into synth errors. */
export const VALIDATE_AGAINST_DEFAULT_RULES = '@aws-cdk/core:validateAgainstDefaultRules';

/**
 * Context flag that makes the app process itself exit non-zero on any finding. The CDK CLI turns
 * it off and judges the report only for the stacks it selected; a plain `cdk synth` of an app
 * made of Stages selects none, so without this findings would pass silently.
 */
export const FAIL_SYNTH_ON_VALIDATION_ERRORS = '@aws-cdk/core:failSynthOnValidationErrors';

/** Context that no command line may override: set as the App's postCliContext. */
export const BASELINE_CONTEXT = { [VALIDATE_AGAINST_DEFAULT_RULES]: true, [FAIL_SYNTH_ON_VALIDATION_ERRORS]: true } as const;

export const RULE_PACKS = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'Serverless'] as const;

export function applySecurityBaseline(app: App): void {
  for (const [flag, value] of Object.entries(BASELINE_CONTEXT)) {
    if (app.node.tryGetContext(flag) !== value) {
      throw new Error(`${flag} must be ${value}: build the app with createLakeworksApp()`);
    }
  }
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new HIPAASecurityChecks(app, { verbose: true }),
    new NIST80053R5Checks(app, { verbose: true }),
    new PCIDSS321Checks(app, { verbose: true }),
    new ServerlessChecks(app, { verbose: true }),
  );
}

export type RulePack = (typeof RULE_PACKS)[number];

/** The three compliance packs share rule names such as `S3BucketReplicationEnabled`. */
export const COMPLIANCE_PACKS: readonly RulePack[] = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];

/**
 * Acknowledges one rule of one or more packs on one construct (and its children), with the reason
 * a reviewer reads in the synth report: `acknowledgeRule(bucket, COMPLIANCE_PACKS, 'S3BucketReplicationEnabled', '...')`.
 */
export function acknowledgeRule(scope: IConstruct, packs: readonly RulePack[], rule: string, reason: string): void {
  for (const pack of packs) {
    Validations.of(scope).acknowledge({ id: `${pack}::${pack}-${rule}`, reason });
  }
}

/**
 * Acknowledges AwsSolutions-IAM5 for each wildcard resource in `resources`, one finding at a time,
 * so a wildcard added later is still caught. cdk-nag names a finding after the resource as it
 * appears in the template, with references written `<AWS::Partition>` or `<LogicalId.Attr>`.
 */
export function acknowledgeWildcardResources(scope: IConstruct, resources: readonly string[], reason: string): void {
  const stack = Stack.of(scope);
  for (const resource of resources.filter((arn) => arn.includes('*'))) {
    Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${renderedAsNagDoes(stack.resolve(resource))}]`, reason });
  }
}

function renderedAsNagDoes(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, any>;
  if (intrinsic.Ref) return `<${intrinsic.Ref}>`;
  if (intrinsic['Fn::GetAtt']) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  if (intrinsic['Fn::Join']) {
    const [separator, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map(renderedAsNagDoes).join(separator);
  }
  return JSON.stringify(value);
}

/**
 * For IAM policies a library generates (CDK Pipelines' roles, for example), which we cannot write
 * as managed policies or narrow ourselves: acknowledges AwsSolutions-IAM5 once per wildcard action
 * and resource the policy holds now, and the compliance packs' IAMNoInlinePolicy. Call it after the
 * library has finished adding statements; a statement added later is still reported.
 */
export function acknowledgeGeneratedPolicy(policy: CfnPolicy, reason: string): void {
  const document = Stack.of(policy).resolve(policy.policyDocument) as { Statement?: Array<Record<string, unknown>> };
  const findings = new Set<string>();
  for (const statement of document.Statement ?? []) {
    for (const action of asList(statement.Action)) {
      if (typeof action === 'string' && action.includes('*')) findings.add(`Action::${action}`);
    }
    for (const resource of asList(statement.Resource)) {
      const rendered = renderedAsNagDoes(resource);
      if (rendered.includes('*')) findings.add(`Resource::${rendered}`);
    }
  }
  for (const finding of findings) {
    Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[${finding}]`, reason });
  }
  acknowledgeRule(policy, COMPLIANCE_PACKS, 'IAMNoInlinePolicy', reason);
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

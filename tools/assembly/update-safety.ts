/**
 * What a change to a live lake would replace or destroy, by CloudFormation's own rules (the
 * resource specification @aws-cdk/cloudformation-diff reads: which properties are create-only),
 * for the resources whose replacement loses data, tags or permissions.
 */
import { ResourceImpact, fullDiff } from '@aws-cdk/cloudformation-diff';
import type { AssemblyStack } from './cloud-assembly';

/** Resources whose replacement or deletion loses something: data, keys, names, tags or grants. */
export const STATEFUL_TYPES = [
  /^AWS::LakeFormation::/, /^AWS::S3::Bucket$/, /^AWS::KMS::Key$/, /^AWS::Glue::(Database|Table|SecurityConfiguration)$/,
  /^AWS::IAM::Role$/, /^AWS::SQS::Queue$/, /^AWS::SNS::Topic$/, /^AWS::Logs::LogGroup$/, /^AWS::Kinesis::Stream$/,
  /^AWS::KinesisFirehose::DeliveryStream$/, /^AWS::Athena::WorkGroup$/, /^AWS::QuickSight::/,
];

export interface RiskyChange {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly impact: 'replace' | 'destroy';
}

const RISKY: ReadonlyMap<ResourceImpact, RiskyChange['impact']> = new Map([
  [ResourceImpact.WILL_REPLACE, 'replace'], [ResourceImpact.MAY_REPLACE, 'replace'], [ResourceImpact.WILL_DESTROY, 'destroy'], [ResourceImpact.WILL_ORPHAN, 'destroy'],
]);

/** Replacements and deletions of stateful resources between two syntheses of the same app. */
export function riskyChanges(before: readonly AssemblyStack[], after: readonly AssemblyStack[]): RiskyChange[] {
  const changes: RiskyChange[] = [];
  const afterByName = new Map(after.map((stack) => [stack.displayName, stack]));
  for (const old of before) {
    const next = afterByName.get(old.displayName);
    const diff = fullDiff(old.template as any, (next?.template ?? {}) as any);
    diff.resources.forEachDifference((logicalId, change) => {
      const type = change.oldResourceType ?? change.newResourceType ?? '';
      const impact = RISKY.get(change.changeImpact);
      if (impact && STATEFUL_TYPES.some((pattern) => pattern.test(type))) changes.push({ stack: old.displayName, logicalId, type, impact });
    });
  }
  return changes;
}

export function describeChange(change: RiskyChange): string {
  return `${change.stack}: ${change.impact} ${change.logicalId} (${change.type})`;
}

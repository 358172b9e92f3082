/**
 * Account-level Lake Formation settings, applied once per account and region (by PlatformStack):
 *
 * - data lake administrators: the configured principals plus the CloudFormation execution role,
 *   which creates databases, registrations and grants on deploy;
 * - `MutationType: APPEND`, so administrators already set in a brownfield account are kept;
 * - no IAMAllowedPrincipals default permissions on new databases and tables, so Lake Formation is
 *   the only gate to data.
 */
import { DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import { cloudFormationExecutionRoleName } from '../config/names';
import { roleArn } from '../permissions';

export interface LakeFormationSettingsProps {
  readonly admins: readonly string[];
}

export class LakeFormationSettings extends Construct {
  public readonly settings: lakeformation.CfnDataLakeSettings;

  constructor(scope: Construct, id: string, props: LakeFormationSettingsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.settings = new lakeformation.CfnDataLakeSettings(this, 'Settings', {
      admins: [...props.admins, cloudFormationExecutionRoleArn(stack)].map((arn) => ({ dataLakePrincipalIdentifier: arn })),
      mutationType: 'APPEND',
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
    });
  }
}

/** The role `cdk bootstrap` created for CloudFormation to deploy with, in this stack's account. */
export function cloudFormationExecutionRoleArn(stack: Stack): string {
  const qualifier = stack.synthesizer instanceof DefaultStackSynthesizer
    ? (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER)
    : DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  return roleArn(stack, cloudFormationExecutionRoleName(qualifier, stack.account, stack.region));
}

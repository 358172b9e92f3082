/**
 * Current Lake Formation settings (GetDataLakeSettings) against what the platform stack sets
 * (lib/governance/lake-formation-settings.ts): administrators appended (MutationType APPEND), and
 * no IAMAllowedPrincipals defaults for new databases and tables. Also the data-layer locations
 * the governance stacks register (DescribeResource): one already registered outside them makes
 * their registration fail, and its hybrid access mode may differ from theirs (off).
 */
import { DescribeResourceCommand, type DataLakeSettings, GetDataLakeSettingsCommand, type PrincipalPermissions } from '@aws-sdk/client-lakeformation';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DATA_LAYERS, dataBucketName, lobStackName } from '../../../lib/config/names';
import { couldNotCheck, errorName, partitionOf } from '../aws';
import type { Check, Finding, PreflightClients, PreflightTarget } from '../types';

export const CHECK = 'lake-formation-settings';

const IAM_ALLOWED_PRINCIPALS = 'IAM_ALLOWED_PRINCIPALS';

/** The role `cdk bootstrap` made for CloudFormation, which the platform stack adds as an administrator. */
export function cloudFormationExecutionRole(target: PreflightTarget): string {
  const { account, region } = target.environment;
  return `arn:${partitionOf(region)}:iam::${account}:role/cdk-${target.app.bootstrap.qualifier}-cfn-exec-role-${account}-${region}`;
}

export const checkLakeFormationSettings: Check = async (clients, target) => {
  const { account, region } = target.environment;
  let settings: DataLakeSettings;
  try {
    settings = (await clients.lakeFormation.send(new GetDataLakeSettingsCommand({}))).DataLakeSettings ?? {};
  } catch (error) {
    return [couldNotCheck(CHECK, `the Lake Formation settings of ${account}/${region}`, error, 'lakeformation:GetDataLakeSettings'), ...await registrationFindings(clients, target)];
  }
  return [...settingsFindings(settings, target), ...await registrationFindings(clients, target)];
};

function settingsFindings(settings: DataLakeSettings, target: PreflightTarget): Finding[] {
  const { account, region } = target.environment;
  const findings: Finding[] = [];
  const current = (settings.DataLakeAdmins ?? []).map((admin) => admin.DataLakePrincipalIdentifier ?? '').filter(Boolean);
  findings.push(current.length > 0
    ? { check: CHECK, status: 'info', message: `Data lake administrators now, who stay administrators (the platform stack appends, MutationType APPEND): ${current.join(', ')}.` }
    : { check: CHECK, status: 'info', message: `No data lake administrators are set in ${account}/${region} yet.` });

  const executionRole = cloudFormationExecutionRole(target);
  const added = [...target.environment.accountSettings.lakeFormationAdmins, executionRole].filter((arn) => !current.includes(arn));
  if (added.length === 0) {
    findings.push({ check: CHECK, status: 'info', message: 'The deploy adds no administrator: every one the platform stack sets already is one.' });
  } else {
    const configured = added.filter((arn) => arn !== executionRole);
    const parts = [...configured, ...(added.includes(executionRole) ? [`the CDK CloudFormation execution role ${executionRole} (it creates the lake's databases, registrations and grants)`] : [])];
    findings.push({ check: CHECK, status: 'info', message: `The deploy adds as data lake administrators: ${parts.join('; ')}.` });
  }
  const readOnly = (settings.ReadOnlyAdmins ?? []).map((admin) => admin.DataLakePrincipalIdentifier ?? '').filter(Boolean);
  if (readOnly.length > 0) {
    findings.push({ check: CHECK, status: 'info', message: `Read-only administrators, which the platform stack does not set: ${readOnly.join(', ')}.` });
  }

  const open = [
    ...(grantsIamAllowedPrincipals(settings.CreateDatabaseDefaultPermissions) ? ['CreateDatabaseDefaultPermissions'] : []),
    ...(grantsIamAllowedPrincipals(settings.CreateTableDefaultPermissions) ? ['CreateTableDefaultPermissions'] : []),
  ];
  if (open.length > 0) {
    findings.push({
      check: CHECK, status: 'info',
      message: `${open.join(' and ')} still grant${open.length === 1 ? 's' : ''} IAMAllowedPrincipals: new databases and tables are open to IAM policies alone. `
        + 'The deploy sets both to none, so Lake Formation grants alone govern databases and tables created after it; existing ones keep their IAMAllowedPrincipals grants.',
      action: 'After the platform stack deploys, check Lake Formation > Data Catalog settings: an open CloudFormation issue '
        + '(aws-cloudformation/cloudformation-coverage-roadmap#2197) reports that empty lists do not clear defaults already set. '
        + 'If the two "Use only IAM access control" boxes are still ticked, clear them there.',
    });
  } else {
    findings.push({ check: CHECK, status: 'ok', message: 'New databases and tables get no IAMAllowedPrincipals permissions, as the platform stack sets.' });
  }

  const others = [
    ...Object.entries(settings.Parameters ?? {}).map(([key, value]) => `${key}=${value}`),
    ...((settings.TrustedResourceOwners ?? []).length > 0 ? [`TrustedResourceOwners=${settings.TrustedResourceOwners!.join(',')}`] : []),
    ...(settings.AllowExternalDataFiltering ? ['AllowExternalDataFiltering=true'] : []),
    ...((settings.ExternalDataFilteringAllowList ?? []).length > 0
      ? [`ExternalDataFilteringAllowList=${settings.ExternalDataFilteringAllowList!.map((p) => p.DataLakePrincipalIdentifier).join(',')}`] : []),
    ...(settings.AllowFullTableExternalDataAccess ? ['AllowFullTableExternalDataAccess=true'] : []),
    ...((settings.AuthorizedSessionTagValueList ?? []).length > 0 ? [`AuthorizedSessionTagValueList=${settings.AuthorizedSessionTagValueList!.join(',')}`] : []),
  ];
  if (others.length > 0) {
    findings.push({ check: CHECK, status: 'info', message: `Other settings, which the platform stack's template does not set: ${others.join('; ')}.` });
  }
  return findings;
}

function grantsIamAllowedPrincipals(permissions: readonly PrincipalPermissions[] | undefined): boolean {
  return (permissions ?? []).some((entry) => entry.Principal?.DataLakePrincipalIdentifier === IAM_ALLOWED_PRINCIPALS);
}

async function registrationFindings(clients: PreflightClients, target: PreflightTarget): Promise<Finding[]> {
  const { config, environment } = target;
  const names = { organisation: config.platform.organisation, environment: environment.name, account: environment.account, region: environment.region };
  const partition = partitionOf(environment.region);
  const findings: Finding[] = [];
  let free = 0;
  for (const lob of config.lobs) {
    const stackName = lobStackName(names, lob.name, 'governance');
    let stackExists: boolean | undefined;
    for (const layer of DATA_LAYERS) {
      const arn = `arn:${partition}:s3:::${dataBucketName(names, lob.name, layer)}`;
      let info;
      try {
        info = (await clients.lakeFormation.send(new DescribeResourceCommand({ ResourceArn: arn }))).ResourceInfo;
      } catch (error) {
        if (errorName(error) === 'EntityNotFoundException') {
          free += 1;
        } else {
          findings.push(couldNotCheck(CHECK, `the Lake Formation registration of ${arn}`, error, 'lakeformation:DescribeResource'));
        }
        continue;
      }
      const hybrid = `hybrid access mode ${info?.HybridAccessEnabled ? 'on' : 'off'}`;
      stackExists ??= await stackIsLive(clients, stackName);
      if (stackExists) {
        findings.push({
          check: CHECK, status: 'ok',
          message: `${arn} is registered with Lake Formation (${hybrid}) by the existing stack ${stackName}: the deploy updates it${info?.HybridAccessEnabled ? ', turning hybrid access mode off' : ''}.`,
        });
      } else {
        findings.push({
          check: CHECK, status: 'problem',
          message: `${arn} is already registered with Lake Formation (role ${info?.RoleArn ?? 'unknown'}, ${hybrid}) though stack ${stackName} does not exist: `
            + 'its registration of the location will fail.',
          action: `If it is left over from an earlier deploy, deregister it (\`aws lakeformation deregister-resource --resource-arn ${arn} --region ${environment.region}\`); `
            + 'the governance stack registers it again with hybrid access mode off. If someone else registered it, agree with them first.',
        });
      }
    }
  }
  if (free > 0 && findings.length === 0) {
    findings.push({
      check: CHECK, status: 'ok',
      message: `None of the ${free} data-layer bucket locations of ${environment.name} is registered with Lake Formation yet; the governance stacks register them with hybrid access mode off.`,
    });
  } else if (free > 0) {
    findings.push({ check: CHECK, status: 'ok', message: `${free} other data-layer bucket locations of ${environment.name} are not registered yet; the governance stacks register them.` });
  }
  return findings;
}

/** Whether a stack of that name exists (DescribeStacks by name lists no deleted stack). */
async function stackIsLive(clients: PreflightClients, stackName: string): Promise<boolean> {
  try {
    return ((await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks ?? []).length > 0;
  } catch (error) {
    if (errorName(error) === 'ValidationError') return false;
    throw error;
  }
}

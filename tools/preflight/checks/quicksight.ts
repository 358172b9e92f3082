/**
 * QuickSight, when a line of business enables its dashboard: the account's subscription and edition
 * (DescribeAccountSubscription; row-level security needs Enterprise), and every principal of
 * `environments[].quickSight.principals` (DescribeUser / DescribeGroup in the identity region),
 * which the dashboard stacks grant permissions to.
 */
import { DescribeAccountSubscriptionCommand, DescribeGroupCommand, DescribeUserCommand } from '@aws-sdk/client-quicksight';
import { couldNotCheck, describeError, errorName } from '../aws';
import type { Check, Finding } from '../types';

export const CHECK = 'quicksight';

const ENTERPRISE = new Set(['ENTERPRISE', 'ENTERPRISE_AND_Q']);

export interface QuickSightPrincipal {
  readonly arn: string;
  readonly region: string;
  readonly account: string;
  readonly kind: 'user' | 'group';
  readonly namespace: string;
  /** May contain '/': users of IAM roles are named `<role>/<session>`. */
  readonly name: string;
}

/** `arn:aws:quicksight:<region>:<account>:user/<namespace>/<name>` (or `group/...`). */
export function parseQuickSightPrincipal(arn: string): QuickSightPrincipal | undefined {
  const match = /^arn:[\w-]+:quicksight:([a-z0-9-]+):(\d{12}):(user|group)\/([^/]+)\/(.+)$/.exec(arn);
  if (!match) return undefined;
  const [, region, account, kind, namespace, name] = match;
  return { arn, region, account, kind: kind as 'user' | 'group', namespace, name };
}

export const checkQuickSight: Check = async (clients, { config, environment }) => {
  const dashboards = config.lobs.filter((lob) => lob.dashboard.enabled);
  const quickSight = environment.quickSight;
  if (dashboards.length === 0 || !quickSight) {
    return [{ check: CHECK, status: 'info', message: `No line of business enables a dashboard in ${environment.name}: QuickSight is not needed.` }];
  }
  const { account } = environment;
  const lobFiles = dashboards.map((lob) => `config/lobs/${lob.name}.yaml`).join(', ');
  const principalsField = `quickSight.principals of environment ${environment.name} in config/platform.yaml`;
  const findings: Finding[] = [];

  const rowLevelSecurity = dashboards.filter((lob) => lob.dashboard.rowLevelSecurity);
  try {
    const info = (await clients.quickSight.send(new DescribeAccountSubscriptionCommand({ AwsAccountId: account }))).AccountInfo;
    const edition = info?.Edition ?? 'unknown';
    const status = info?.AccountSubscriptionStatus;
    if (status && /UNSUBSCRIBED/i.test(status)) {
      findings.push({
        check: CHECK, status: 'problem',
        message: `QuickSight in account ${account} is ${status}; the dashboard stacks of ${dashboards.map((lob) => lob.name).join(', ')} need an active subscription.`,
        action: `Sign up for QuickSight in account ${account}, or set dashboard.enabled: false in ${lobFiles}.`,
      });
    } else if (rowLevelSecurity.length > 0 && !ENTERPRISE.has(edition)) {
      findings.push({
        check: CHECK, status: 'problem',
        message: `QuickSight in account ${account} is the ${edition} edition; row-level security (dashboard.rowLevelSecurity of ${rowLevelSecurity.map((lob) => lob.name).join(', ')}) needs Enterprise.`,
        action: `Upgrade the QuickSight subscription to Enterprise (Manage QuickSight > Your subscriptions), or remove dashboard.rowLevelSecurity from ${rowLevelSecurity.map((lob) => `config/lobs/${lob.name}.yaml`).join(', ')}.`,
      });
    } else {
      findings.push({
        check: CHECK, status: 'ok',
        message: `QuickSight subscription in account ${account}: ${edition} edition${status ? `, ${status}` : ''}${rowLevelSecurity.length > 0 ? ' (row-level security needs Enterprise: it has it)' : ''}.`,
      });
    }
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') {
      findings.push({
        check: CHECK, status: 'problem',
        message: `Account ${account} has no QuickSight subscription; the dashboard stacks of ${dashboards.map((lob) => lob.name).join(', ')} need one.`,
        action: `Sign up for QuickSight in account ${account}${rowLevelSecurity.length > 0 ? ' (Enterprise edition, which row-level security needs)' : ''}, or set dashboard.enabled: false in ${lobFiles}.`,
      });
    } else {
      findings.push(couldNotCheck(CHECK, `the QuickSight subscription of ${account}`, error, 'quicksight:DescribeAccountSubscription'));
    }
  }

  for (const arn of quickSight.principals) {
    const principal = parseQuickSightPrincipal(arn);
    if (!principal) {
      findings.push({
        check: CHECK, status: 'problem', message: `QuickSight principal ${arn} is not a user or group ARN with a namespace.`,
        action: `Write arn:aws:quicksight:<identity region>:<account>:user/<namespace>/<name> (or group/...) in ${principalsField}.`,
      });
      continue;
    }
    if (principal.account !== account || principal.region !== quickSight.identityRegion) {
      findings.push({
        check: CHECK, status: 'problem',
        message: `QuickSight principal ${arn} is in ${principal.account}/${principal.region}, but the environment's QuickSight identity store is ${account}/${quickSight.identityRegion}.`,
        action: `Name a principal of account ${account} in region ${quickSight.identityRegion} in ${principalsField}, or fix quickSight.identityRegion.`,
      });
      continue;
    }
    try {
      if (principal.kind === 'user') {
        await clients.quickSight.send(new DescribeUserCommand({ AwsAccountId: account, Namespace: principal.namespace, UserName: principal.name }));
      } else {
        await clients.quickSight.send(new DescribeGroupCommand({ AwsAccountId: account, Namespace: principal.namespace, GroupName: principal.name }));
      }
      findings.push({ check: CHECK, status: 'ok', message: `QuickSight ${principal.kind} ${arn} exists.` });
    } catch (error) {
      const name = errorName(error);
      if (name === 'ResourceNotFoundException') {
        const create = principal.kind === 'group'
          ? `create the group (\`aws quicksight create-group --aws-account-id ${account} --namespace ${principal.namespace} --group-name ${principal.name} --region ${principal.region}\`)`
          : 'invite or register the user in QuickSight (Manage QuickSight > Manage users)';
        findings.push({
          check: CHECK, status: 'problem',
          message: `QuickSight ${principal.kind} ${arn} does not exist (namespace ${principal.namespace}, identity region ${principal.region}); the dashboard stacks grant it permissions, so they would fail.`,
          action: `Either ${create}, or fix ${principalsField}.`,
        });
      } else if (name === 'UnsupportedUserEditionException') {
        findings.push({
          check: CHECK, status: 'problem',
          message: `QuickSight could not look up ${principal.kind} ${arn}: ${describeError(error)}`,
          action: `Upgrade QuickSight to Enterprise edition, or name ${principal.kind === 'group' ? 'users instead of groups' : 'other principals'} in ${principalsField}.`,
        });
      } else {
        findings.push(couldNotCheck(CHECK, `QuickSight ${principal.kind} ${arn}`, error, `quicksight:Describe${principal.kind === 'user' ? 'User' : 'Group'}`));
      }
    }
  }
  return findings;
};

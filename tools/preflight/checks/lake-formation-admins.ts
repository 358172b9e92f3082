/**
 * Lake Formation admins: every ARN in `accountSettings.lakeFormationAdmins` must be an existing IAM
 * role or user (IAM GetRole / GetUser by the name at the end of the ARN), or the platform stack's
 * DataLakeSettings fail to create.
 */
import { GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { couldNotCheck, errorName } from '../aws';
import type { Check, Finding } from '../types';

export const CHECK = 'lake-formation-admins';

const IAM_ARN = /^arn:[\w-]+:iam::(\d{12}):(role|user)\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/;

export const checkLakeFormationAdmins: Check = async (clients, { environment }) => {
  const fix = `or fix accountSettings.lakeFormationAdmins of environment ${environment.name} in config/platform.yaml`;
  const findings: Finding[] = [];
  for (const arn of environment.accountSettings.lakeFormationAdmins) {
    const match = IAM_ARN.exec(arn);
    if (!match) {
      findings.push({
        check: CHECK, status: 'problem', message: `Lake Formation admin ${arn} is not an IAM role or user ARN.`,
        action: `Write arn:aws:iam::<account>:role/<name> in accountSettings.lakeFormationAdmins of environment ${environment.name} in config/platform.yaml.`,
      });
      continue;
    }
    const [, account, kind, name] = match;
    let actualArn: string | undefined;
    try {
      actualArn = kind === 'role'
        ? (await clients.iam.send(new GetRoleCommand({ RoleName: name }))).Role?.Arn
        : (await clients.iam.send(new GetUserCommand({ UserName: name }))).User?.Arn;
    } catch (error) {
      if (errorName(error) === 'NoSuchEntityException' || errorName(error) === 'NoSuchEntity') {
        findings.push({
          check: CHECK, status: 'problem',
          message: `Lake Formation admin ${arn} does not exist: account ${account} has no IAM ${kind} named ${name}.`,
          action: `Create the IAM ${kind} ${name} in account ${account} before deploying (the platform stack makes it a data lake administrator), ${fix}.`,
        });
      } else {
        findings.push(couldNotCheck(CHECK, `Lake Formation admin ${arn}`, error, kind === 'role' ? 'iam:GetRole' : 'iam:GetUser'));
      }
      continue;
    }
    if (actualArn && actualArn !== arn) {
      findings.push({
        check: CHECK, status: 'problem',
        message: `Lake Formation admin ${arn} does not exist as written: the IAM ${kind} ${name} is ${actualArn} (its path differs).`,
        action: `Write ${actualArn} in accountSettings.lakeFormationAdmins of environment ${environment.name} in config/platform.yaml.`,
      });
      continue;
    }
    findings.push({ check: CHECK, status: 'ok', message: `Lake Formation admin ${arn} exists.` });
  }
  return findings;
};

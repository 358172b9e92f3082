/**
 * Runs the checks in order. Credentials come first: every other check reads whatever account the
 * credentials belong to, so when that is not the environment's account they are skipped rather
 * than reporting on the wrong account. A check that throws is reported as a problem, never lost.
 */
import { describeError } from './aws';
import { checkBootstrap } from './checks/bootstrap';
import { checkBuckets } from './checks/buckets';
import { checkCredentials } from './checks/credentials';
import { checkLakeFormationAdmins } from './checks/lake-formation-admins';
import { checkLakeFormationSettings } from './checks/lake-formation-settings';
import { checkLambdaConcurrency } from './checks/lambda-concurrency';
import { checkQuickSight } from './checks/quicksight';
import type { Check, Finding, PreflightClients, PreflightTarget } from './types';

/** The checks after credentials, in report order, by the name their findings carry. */
export const ACCOUNT_CHECKS: readonly (readonly [string, Check])[] = [
  ['bootstrap', checkBootstrap],
  ['lake-formation-admins', checkLakeFormationAdmins],
  ['lake-formation-settings', checkLakeFormationSettings],
  ['lambda-concurrency', checkLambdaConcurrency],
  ['quicksight', checkQuickSight],
  ['buckets', checkBuckets],
];

export interface PreflightReport {
  readonly environment: string;
  readonly account: string;
  readonly region: string;
  /** No finding is a problem. */
  readonly ready: boolean;
  readonly findings: readonly Finding[];
}

export async function runPreflight(clients: PreflightClients, target: PreflightTarget): Promise<PreflightReport> {
  const findings = await guarded('credentials', checkCredentials, clients, target);
  if (findings.some((finding) => finding.status === 'problem')) {
    findings.push({
      check: 'preflight', status: 'info',
      message: `Skipped ${ACCOUNT_CHECKS.map(([name]) => name).join(', ')}: they need credentials for account ${target.environment.account}.`,
    });
  } else {
    // Independent reads: run together, report in order.
    for (const result of await Promise.all(ACCOUNT_CHECKS.map(([name, check]) => guarded(name, check, clients, target)))) findings.push(...result);
  }
  const { name, account, region } = target.environment;
  return { environment: name, account, region, ready: !findings.some((finding) => finding.status === 'problem'), findings };
}

async function guarded(name: string, check: Check, clients: PreflightClients, target: PreflightTarget): Promise<Finding[]> {
  try {
    return await check(clients, target);
  } catch (error) {
    return [{ check: name, status: 'problem', message: `The check failed unexpectedly: ${describeError(error)}`, action: 'Run preflight again; if it fails the same way, report it with this message.' }];
  }
}

/**
 * Retention of CloudWatch Logs log groups: the service accepts only these numbers of days
 * (PutRetentionPolicy, `AWS::Logs::LogGroup` RetentionInDays), and any other value fails the deploy
 * of the stack that holds the log group. lib/config imports nothing from aws-cdk-lib, so the list
 * is written out here; test/config/log-retention.test.ts holds it equal to aws-cdk-lib's
 * `logs.RetentionDays` (without INFINITE, which is no number of days).
 */
import { z } from 'zod';

export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** A retention CloudWatch Logs accepts; assignable to aws-cdk-lib's `logs.RetentionDays`. */
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/**
 * A `logRetentionDays` field: one of CloudWatch Logs' retention periods. Anything else is reported
 * as `expected one of 1, 3, 5, ...; got <value>` with the file and field (config-error.ts).
 */
export function logRetentionDays(defaultDays: LogRetentionDays, what: string) {
  return z.literal(LOG_RETENTION_DAYS)
    .default(defaultDays)
    .meta({ description: `Days ${what} are kept: one of ${LOG_RETENTION_DAYS.join(', ')} (CloudWatch Logs accepts no other). Default ${defaultDays}.` });
}

/**
 * Schema of a dataset's `source.database`: a table or query read over JDBC by a scheduled Glue job
 * (glue-scripts/jobs/pull_database.py), incrementally by a watermark column, into raw
 * `landing/<dataset>/` (docs/database-sources.md).
 *
 * Where the job runs (subnet, security groups) and which secret it reads belong to an account, so
 * they are given per environment; an environment without them synthesizes no pull and warns.
 */
import { z } from 'zod';

/** URL schemes whose JDBC drivers the Glue runtime ships (lakeworks_ingest.database_pull.DRIVERS). */
export const JDBC_SCHEMES = ['postgresql', 'mysql', 'sqlserver', 'oracle'] as const;

export const WATERMARK_KINDS = ['timestamp', 'increasing'] as const;

/** ISO-8601 duration of days, hours, minutes and seconds, e.g. PT1H, P1DT30M. */
const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Seconds of an ISO-8601 duration (days, hours, minutes, seconds), or undefined if it is not one. */
export function durationSeconds(text: string): number | undefined {
  const match = ISO_DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
  return ((days * 24 + hours) * 60 + minutes) * 60 + seconds;
}

const CRON = /^cron\((\S+ ){5}\S+\)$/;

/** arn:<partition>:secretsmanager:<region>:<account>:secret:<name> */
export const SECRET_ARN = /^arn:(aws[a-z-]*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@-]+$/;

const networkSchema = z.strictObject({
  subnetId: z.string().regex(/^subnet-[0-9a-f]+$/, { error: (issue) => `expected a subnet id (subnet-…) of a private subnet that reaches the database; got ${JSON.stringify(issue.input)}` }),
  securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]+$/, { error: (issue) => `expected a security group id (sg-…); got ${JSON.stringify(issue.input)}` }))
    .min(1, { error: 'expected at least one security group id' }),
  availabilityZone: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/, { error: (issue) => `expected the subnet's availability zone, e.g. eu-west-1a; got ${JSON.stringify(issue.input)}` }),
}).meta({ description: 'Where the Glue job runs: a subnet that reaches the database (and S3, Secrets Manager, Glue, CloudWatch through endpoints or NAT), its availability zone, and security groups whose rules let the job reach the database and itself (Glue requires a self-referencing rule).' });

const deploymentSchema = z.strictObject({
  secretArn: z.string().regex(SECRET_ARN, {
    error: (issue) => `expected the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>) holding username and password; got ${JSON.stringify(issue.input)}`,
  }).meta({ description: 'The Secrets Manager secret with the read-only database user\'s username and password; must be in this environment\'s account and region.' }),
  network: networkSchema,
});
export type DatabaseDeployment = z.infer<typeof deploymentSchema>;

export const databaseSourceSchema = z.strictObject({
  jdbcUrl: z.string().refine((url) => JDBC_SCHEMES.some((scheme) => url.startsWith(`jdbc:${scheme}:`)), {
    error: (issue) => `expected a JDBC URL starting jdbc:<${JDBC_SCHEMES.join('|')}>: (the drivers the Glue job has); got ${JSON.stringify(issue.input)}`,
  }),
  table: z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$/, {
    error: (issue) => `expected a table name, optionally schema-qualified (public.accounts); got ${JSON.stringify(issue.input)}`,
  }).optional().meta({ description: 'The table to read. Exactly one of table and query.' }),
  query: z.string().min(1).optional().meta({ description: 'A SELECT whose rows to read, instead of a table. Exactly one of table and query.' }),
  watermark: z.strictObject({
    column: z.string().min(1).meta({ description: 'A column that grows with every insert or update: an updated-at timestamp or an increasing id.' }),
    kind: z.enum(WATERMARK_KINDS).meta({ description: 'timestamp: an updated-at column; increasing: a monotonically increasing number.' }),
    lookback: z.union([z.string(), z.number().int().min(0)]).optional()
      .meta({ description: 'Re-read this far below the last high-water mark, for rows committed late: an ISO-8601 duration (PT1H) for timestamp, a number for increasing. Default none.' }),
  }, { error: 'expected watermark: { column, kind: timestamp|increasing, lookback? }: a pull reads only rows above the last run\'s high-water mark, and has no other way to know what is new' }),
  schedule: z.string().regex(CRON, { error: (issue) => `expected the pull schedule as cron(minutes hours day-of-month month day-of-week year); got ${JSON.stringify(issue.input)}` }),
  partitions: z.number().int().min(1).max(64).default(4).meta({ description: 'At most this many files per run. Default 4.' }),
  fetchSize: z.number().int().min(1).max(1000000).default(10000).meta({ description: 'Rows per JDBC round trip. Default 10000.' }),
  environments: z.record(z.string(), deploymentSchema).default({})
    .meta({ description: 'Per environment name: the secret and network the pull uses there. An environment not listed runs no pull (synth warns).' }),
}).superRefine((source, ctx) => {
  if ((source.table === undefined) === (source.query === undefined)) {
    ctx.addIssue({ code: 'custom', path: [], message: 'expected exactly one of table and query' });
  }
  const { kind, lookback } = source.watermark;
  if (lookback === undefined) return;
  if (kind === 'timestamp' && (typeof lookback !== 'string' || durationSeconds(lookback) === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['watermark', 'lookback'], message: `expected an ISO-8601 duration such as PT1H for a timestamp watermark; got ${JSON.stringify(lookback)}` });
  }
  if (kind === 'increasing' && typeof lookback !== 'number') {
    ctx.addIssue({ code: 'custom', path: ['watermark', 'lookback'], message: `expected a non-negative integer for an increasing watermark; got ${JSON.stringify(lookback)}` });
  }
});
export type DatabaseSourceConfig = z.infer<typeof databaseSourceSchema>;

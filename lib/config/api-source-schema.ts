/**
 * Schema of a dataset's `source.api`: an HTTP API pulled on a schedule by a Lambda into raw
 * `landing/<dataset>/api/…` (contract/api-source.ts, docs/api-sources.md).
 *
 * The API key is never in config: `{secret}` in the URL or a header stands for the value of a
 * Secrets Manager secret, which belongs to an account, so it is named per environment; an
 * environment without one synthesizes no pull and warns.
 */
import { z } from 'zod';
import { PARAMETER_VALUE_PATTERN, PERIOD_PLACEHOLDER, SECRET_PLACEHOLDER, placeholdersOf } from '../../contract/api-source';
import { apiResponseSchema } from './api-response-schema';
import { SECRET_ARN } from './database-source-schema';

const CRON = /^cron\((\S+ ){5}\S+\)$/;
/** Lambda's longest timeout: one invocation must fit every request of a run. */
export const MAX_PULL_TIMEOUT_SECONDS = 900;

const deploymentSchema = z.strictObject({
  secretArn: z.string().regex(SECRET_ARN, {
    error: (issue) => `expected the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>) holding the API key or token; got ${JSON.stringify(issue.input)}`,
  }).meta({ description: 'The Secrets Manager secret whose value replaces {secret}; must be in this environment\'s account and region.' }),
});
export type ApiDeployment = z.infer<typeof deploymentSchema>;

const templateProblem = (template: string, known: readonly string[]) => placeholdersOf(template).filter((name) => !known.includes(name));

export const apiSourceSchema = z.strictObject({
  url: z.string().regex(/^https:\/\/[^\s/]+\/?\S*$/, { error: (issue) => `expected an https:// URL template; got ${JSON.stringify(issue.input)}` })
    .meta({ description: 'The request URL. {<parameter>} takes each value of that parameter, {period} the run\'s date (YYYY-MM-DD), {secret} the API key.' }),
  headers: z.record(z.string(), z.string()).default({})
    .meta({ description: 'Request headers, templates like the URL (Authorization: Bearer {secret}).' }),
  parameters: z.record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, { error: (issue) => `expected a parameter name of lowercase letters, digits and _; got ${JSON.stringify(issue.input)}` }),
    z.array(z.string().regex(PARAMETER_VALUE_PATTERN, { error: (issue) => `expected a value of letters, digits, '.', '_' and '-' (it becomes part of raw keys); got ${JSON.stringify(issue.input)}` }))
      .min(1, { error: 'expected at least one value' }),
  ).default({}).meta({ description: 'Values to iterate: the pull requests every combination (symbol: [IBM, MSFT]).' }),
  pagination: z.strictObject({
    nextUrl: z.array(z.string().min(1)).min(1).meta({ description: 'Keys leading to the next page\'s URL in a JSON response ([links, next]); absent or null ends the pull.' }),
  }).optional().meta({ description: 'How to follow pages. Default: one response per request.' }),
  response: apiResponseSchema.optional(),
  errorFields: z.array(z.string().min(1)).default(['Note', 'Information', 'Error Message'])
    .meta({ description: 'Top-level keys of a JSON body that mean the API refused (sent with status 200). Default Note, Information, Error Message.' }),
  rateLimit: z.strictObject({
    requestsPerMinute: z.number().positive().max(6000).meta({ description: 'Most requests started per minute.' }),
  }).default({ requestsPerMinute: 5 }).meta({ description: 'Default 5 requests per minute (Alpha Vantage\'s free tier).' }),
  schedule: z.string().regex(CRON, { error: (issue) => `expected the pull schedule as cron(minutes hours day-of-month month day-of-week year); got ${JSON.stringify(issue.input)}` }),
  maxAttempts: z.number().int().min(1).max(10).default(5).meta({ description: 'Attempts per request after 429, 5xx or a timeout, the first included. Default 5.' }),
  requestTimeoutSeconds: z.number().int().min(1).max(300).default(30).meta({ description: 'How long one request may take. Default 30.' }),
  catchUpPeriods: z.number().int().min(1).max(366).default(7).meta({ description: 'Most missed periods (days) one run pulls per parameter set. Default 7.' }),
  maxPages: z.number().int().min(1).max(10000).default(100).meta({ description: 'Most pages per request. Default 100.' }),
  timeoutSeconds: z.number().int().min(30).max(MAX_PULL_TIMEOUT_SECONDS).default(300).meta({ description: 'The pull Lambda\'s timeout, which bounds one run. Default 300.' }),
  environments: z.record(z.string(), deploymentSchema).default({})
    .meta({ description: 'Per environment name: the secret the pull uses there. An environment not listed runs no pull (synth warns).' }),
}).superRefine((source, ctx) => {
  const known = [...Object.keys(source.parameters), PERIOD_PLACEHOLDER, SECRET_PLACEHOLDER];
  const expected = `expected one of ${known.map((name) => `{${name}}`).join(', ')} (parameters, {period}, {secret})`;
  for (const name of templateProblem(source.url, known)) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: `unknown placeholder {${name}}; ${expected}` });
  }
  for (const [header, template] of Object.entries(source.headers)) {
    for (const name of templateProblem(template, known)) ctx.addIssue({ code: 'custom', path: ['headers', header], message: `unknown placeholder {${name}}; ${expected}` });
  }
  for (const reserved of [PERIOD_PLACEHOLDER, SECRET_PLACEHOLDER]) {
    if (reserved in source.parameters) ctx.addIssue({ code: 'custom', path: ['parameters', reserved], message: `{${reserved}} is filled by the pull itself; choose another parameter name` });
  }
  const templates = [source.url, ...Object.values(source.headers)];
  for (const name of Object.keys(source.parameters)) {
    if (!templates.some((template) => placeholdersOf(template).includes(name))) {
      ctx.addIssue({ code: 'custom', path: ['parameters', name], message: `neither url nor headers use {${name}}: every value would request the same thing` });
    }
  }
  const usesSecret = templates.some((template) => placeholdersOf(template).includes(SECRET_PLACEHOLDER));
  if (!usesSecret && Object.keys(source.environments).length > 0) {
    ctx.addIssue({ code: 'custom', path: ['environments'], message: 'a secret is named but neither url nor headers use {secret}' });
  }
  // One invocation makes every request of a run: it must fit the Lambda timeout at the rate limit.
  const requests = Object.values(source.parameters).reduce((product, values) => product * values.length, 1);
  const seconds = Math.ceil(requests * 60 / source.rateLimit.requestsPerMinute);
  if (seconds > source.timeoutSeconds) {
    ctx.addIssue({
      code: 'custom', path: ['parameters'],
      message: `${requests} requests at ${source.rateLimit.requestsPerMinute} per minute take ${seconds} s, more than timeoutSeconds (${source.timeoutSeconds}, at most ${MAX_PULL_TIMEOUT_SECONDS}); fewer values, a higher rate limit, or split the dataset`,
    });
  }
});
export type ApiSourceConfig = z.infer<typeof apiSourceSchema>;

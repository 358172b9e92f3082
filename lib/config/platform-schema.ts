/**
 * Schema of `config/platform.yaml`: the organisation, its environments, and the settings the
 * platform team owns (QuickSight, the delivery pipeline).
 */
import { z } from 'zod';
import { SLUG_PATTERN, SLUG_RULE } from './names';

const ACCOUNT_PATTERN = /^\d{12}$/;
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const IAM_ADMIN_PATTERN = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/[\w+=,.@\/-]+$/;

const slug = (what: string) =>
  z.string().regex(SLUG_PATTERN, { error: (issue) => `expected ${what} of ${SLUG_RULE}; got ${JSON.stringify(issue.input)}` });

/**
 * Settings that exist once per AWS account and region. Environments sharing an account and region
 * must agree on every one of them, or one deployment would silently undo the other's.
 */
export const accountSettingsSchema = z.strictObject({
  lakeFormationAdmins: z.array(z.string().regex(IAM_ADMIN_PATTERN, {
    error: (issue) => `expected an IAM role or user ARN (arn:aws:iam::<account>:role/<name>); got ${JSON.stringify(issue.input)}`,
  })).min(1, { error: 'expected at least one Lake Formation administrator' })
    .meta({ description: 'IAM roles/users made Lake Formation data lake administrators (added to existing admins).' }),
  accessLogRetentionDays: z.number().int().min(1).default(365)
    .meta({ description: 'Days S3 server access logs are kept in the shared access-log bucket. Default 365.' }),
});
export type AccountSettings = z.infer<typeof accountSettingsSchema>;

/** Admin order carries no meaning, so it does not count as a disagreement. */
function sameAccountSettings(a: AccountSettings, b: AccountSettings): boolean {
  const canonical = (settings: AccountSettings) => JSON.stringify({ ...settings, lakeFormationAdmins: [...settings.lakeFormationAdmins].sort() });
  return canonical(a) === canonical(b);
}

const quickSightSchema = z.strictObject({
  identityRegion: z.string().regex(REGION_PATTERN, { error: (issue) => `expected an AWS region such as us-east-1; got ${JSON.stringify(issue.input)}` })
    .meta({ description: 'Region of the QuickSight identity store (where users and groups live).' }),
  namespace: z.string().default('default'),
  principals: z.array(z.string().regex(/^arn:aws[a-z-]*:quicksight:[a-z0-9-]+:\d{12}:(user|group)\/.+$/, {
    error: (issue) => `expected a QuickSight user or group ARN; got ${JSON.stringify(issue.input)}`,
  })).min(1).meta({ description: 'QuickSight users/groups given access to the data sources, datasets and dashboards.' }),
});

export const environmentSchema = z.strictObject({
  name: slug('an environment name').max(12, { error: 'expected an environment name of at most 12 characters' }),
  account: z.string({ error: 'expected a 12-digit AWS account id in quotes' })
    .regex(ACCOUNT_PATTERN, { error: (issue) => `expected a 12-digit AWS account id; got ${JSON.stringify(issue.input)}` }),
  region: z.string().regex(REGION_PATTERN, { error: (issue) => `expected an AWS region such as eu-west-1; got ${JSON.stringify(issue.input)}` }),
  allowDataDestruction: z.boolean().default(false)
    .meta({ description: 'Delete buckets and schedule key deletion when the stacks are deleted. Default false: data is retained.' }),
  requireApproval: z.boolean().default(false)
    .meta({ description: 'Pipeline waits for a manual approval before deploying this environment.' }),
  accountSettings: accountSettingsSchema,
  quickSight: quickSightSchema.optional().meta({ description: 'Omit when the account has no QuickSight subscription.' }),
}).superRefine((environment, ctx) => {
  environment.accountSettings.lakeFormationAdmins.forEach((arn, index) => {
    const account = IAM_ADMIN_PATTERN.exec(arn)?.[1];
    if (account && account !== environment.account) {
      ctx.addIssue({
        code: 'custom', path: ['accountSettings', 'lakeFormationAdmins', index],
        message: `Lake Formation admins must belong to the environment's account ${environment.account}; got account ${account}`,
      });
    }
  });
});
export type EnvironmentConfig = z.infer<typeof environmentSchema>;

const pipelineSchema = z.strictObject({
  enabled: z.boolean().default(false),
  account: z.string().regex(ACCOUNT_PATTERN, { error: (issue) => `expected a 12-digit AWS account id; got ${JSON.stringify(issue.input)}` }),
  region: z.string().regex(REGION_PATTERN, { error: (issue) => `expected an AWS region such as eu-west-1; got ${JSON.stringify(issue.input)}` }),
  connectionArn: z.string().regex(/^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[\w-]+$/, {
    error: (issue) => `expected a CodeConnections connection ARN; got ${JSON.stringify(issue.input)}`,
  }),
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: (issue) => `expected owner/name; got ${JSON.stringify(issue.input)}` }),
  branch: z.string().min(1).default('main'),
});
export type PipelineConfig = z.infer<typeof pipelineSchema>;

export const platformSchema = z.strictObject({
  $schema: z.string().optional().meta({ description: 'Path of this JSON Schema, for editors.' }),
  organisation: slug('an organisation prefix').max(10, { error: 'expected an organisation prefix of at most 10 characters (it is part of every bucket name)' })
    .meta({ description: 'Prefix of every bucket, stack and database name.' }),
  costCenter: z.string().min(1).meta({ description: 'The `cost-center` tag of platform-owned resources.' }),
  environments: z.array(environmentSchema).min(1, { error: 'expected at least one environment' })
    .meta({ description: 'Deployed in this order by the pipeline.' }),
  pipeline: pipelineSchema.optional(),
}).superRefine((platform, ctx) => {
  platform.environments.forEach((environment, index) => {
    if (platform.environments.findIndex((other) => other.name === environment.name) !== index) {
      ctx.addIssue({ code: 'custom', path: ['environments', index, 'name'], message: `duplicate environment name ${JSON.stringify(environment.name)}` });
    }
    const owner = platform.environments.findIndex((other) => other.account === environment.account && other.region === environment.region);
    if (owner < index && !sameAccountSettings(platform.environments[owner].accountSettings, environment.accountSettings)) {
      ctx.addIssue({
        code: 'custom', path: ['environments', index, 'accountSettings'],
        message: `environments ${platform.environments[owner].name} and ${environment.name} share account ${environment.account} in ${environment.region} `
          + 'but their accountSettings differ; account-level settings must be identical',
      });
    }
    // CodePipeline needs an artifact bucket in every region it deploys to; the PipelineStack keeps
    // one, in its own region.
    if (platform.pipeline?.enabled && environment.region !== platform.pipeline.region) {
      ctx.addIssue({
        code: 'custom', path: ['environments', index, 'region'],
        message: `expected ${platform.pipeline.region}, the pipeline's region (the pipeline deploys within its own region only; `
          + `deploy ${environment.region} with GitHub Actions or from a laptop, or set pipeline.enabled: false); got ${JSON.stringify(environment.region)}`,
      });
    }
  });
});
export type PlatformConfig = z.infer<typeof platformSchema>;

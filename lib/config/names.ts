/**
 * Naming rules and derived names.
 *
 * Every physical name in the lake is derived here from organisation, environment, line of
 * business and layer, so that a name never has to be typed twice and a config that would produce
 * an invalid name is rejected at synth instead of at deploy. Keys inside the buckets are the
 * contract's (contract/raw-layout.ts, contract/standardized-layout.ts).
 */

/** The storage layers of a line of business, in the order data flows through them. */
export const DATA_LAYERS = ['raw', 'standardized', 'conformed', 'enriched'] as const;
export type DataLayer = (typeof DATA_LAYERS)[number];

/** Every bucket a line of business owns: the data layers plus the Athena query results. */
export const STORAGE_LAYERS = [...DATA_LAYERS, 'results'] as const;
export type StorageLayer = (typeof STORAGE_LAYERS)[number];

/**
 * Organisation, environment and LoB names end up in bucket names (lowercase letters, digits,
 * hyphens), stack names and, with hyphens turned into underscores, Glue database names.
 */
export const SLUG_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const SLUG_RULE = 'lowercase letters, digits and single hyphens, starting with a letter';

/**
 * Dataset and column names become Glue table and column names, S3 prefixes and Parquet field
 * names; Athena only accepts these unquoted if they are lowercase with underscores. The pattern
 * is the contract's: the transform finds a dataset in a raw key by it.
 */
export { IDENTIFIER_PATTERN } from '../../contract/dataset';
export const IDENTIFIER_RULE = 'lowercase letters, digits and underscores, starting with a letter';

/** S3's limit on bucket name length. */
export const MAX_BUCKET_NAME_LENGTH = 63;
/** IAM's limit on role name length. */
export const MAX_ROLE_NAME_LENGTH = 64;
/** Glue's limit on database, table and column name length. */
export const MAX_GLUE_NAME_LENGTH = 255;

/**
 * Words Athena (engine v3, Trino) reserves in queries: a column with one of these names breaks every
 * SELECT that does not quote it, so they are refused up front. Tables are created through the Glue
 * API rather than DDL, so DDL-only keywords such as `date` stay usable as column names.
 * Source: "Reserved keywords" in the Amazon Athena user guide (DML list).
 */
export const ATHENA_RESERVED_WORDS = new Set([
  'alter', 'and', 'as', 'between', 'by', 'case', 'cast', 'constraint', 'create', 'cross', 'cube',
  'current_date', 'current_path', 'current_time', 'current_timestamp', 'current_user', 'deallocate',
  'delete', 'describe', 'distinct', 'drop', 'else', 'end', 'escape', 'except', 'execute', 'exists',
  'extract', 'false', 'first', 'for', 'from', 'full', 'group', 'grouping', 'having', 'in', 'inner',
  'insert', 'intersect', 'into', 'is', 'join', 'json_array', 'json_exists', 'json_object',
  'json_query', 'json_value', 'last', 'left', 'like', 'listagg', 'localtime', 'localtimestamp',
  'natural', 'normalize', 'not', 'null', 'of', 'on', 'or', 'order', 'outer', 'prepare', 'recursive',
  'right', 'rollup', 'select', 'skip', 'table', 'then', 'trim', 'true', 'uescape', 'union', 'unnest',
  'using', 'values', 'when', 'where', 'with',
]);

/** Where a bucket lives and who owns it: the inputs of every physical name. */
export interface NameScope {
  readonly organisation: string;
  readonly environment: string;
  readonly account: string;
  readonly region: string;
}

/**
 * `<org>-<env>-<lob>-<layer>-<account>-<region>`: globally unique because account and region are
 * in it, and readable in the S3 console. Checked against S3's 63-character limit at config load.
 */
export function dataBucketName(scope: NameScope, lob: string, layer: StorageLayer): string {
  return [scope.organisation, scope.environment, lob, layer, scope.account, scope.region].join('-');
}

/** One access-log bucket per account and region, shared by every environment and LoB there. */
export function accessLogBucketName(scope: Omit<NameScope, 'environment'>): string {
  return [scope.organisation, 'access-logs', scope.account, scope.region].join('-');
}

/** Glue/Athena database name for a layer: hyphens are not valid unquoted in Athena. */
export function glueDatabaseName(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, layer: DataLayer): string {
  return [scope.organisation, scope.environment, lob, layer].join('_').replace(/-/g, '_');
}

/**
 * KMS alias of one of a LoB's keys, `alias/<org>/<env>/<lob>/<purpose>`: a layer's key or an
 * operational key (ingest, operations, curation). Slashes keep a LoB's keys together in the console.
 */
export function lobKeyAlias(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, purpose: string): string {
  return `alias/${scope.organisation}/${scope.environment}/${lob}/${purpose}`;
}

/** KMS alias of a storage layer's key. */
export function layerKeyAlias(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, layer: StorageLayer): string {
  return lobKeyAlias(scope, lob, layer);
}

/** KMS alias of the delivery pipeline's artifact key, one per organisation. */
export function pipelineArtifactsKeyAlias(organisation: string): string {
  return `${pipelineName(organisation)}-artifacts`;
}

/** CloudFormation stack names; the construct path (`dev/finance-storage`) is what `cdk deploy` selects on. */
export function lobStackName(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, concern: string): string {
  return `${scope.organisation}-${scope.environment}-${lob}-${concern}`;
}

/**
 * The platform stack is named without its environment: when two environments share an account
 * and region they share this one stack, whichever environment deploys it.
 */
export function platformStackName(organisation: string): string {
  return `${organisation}-platform`;
}

/** The delivery pipeline's stack and CodePipeline: one per organisation, in the tooling account. */
export function pipelineName(organisation: string): string {
  return `${organisation}-lakeworks-pipeline`;
}

/** The role `cdk bootstrap` names for CloudFormation to deploy with (CDK's name, not ours). */
export function cloudFormationExecutionRoleName(qualifier: string, account: string, region: string): string {
  return `cdk-${qualifier}-cfn-exec-role-${account}-${region}`;
}

/** Why a bucket name is invalid, or undefined when S3 accepts it. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length > MAX_BUCKET_NAME_LENGTH) {
    return `is ${name.length} characters long; S3 allows at most ${MAX_BUCKET_NAME_LENGTH}`;
  }
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) || name.includes('..')) {
    return 'is not a valid S3 bucket name (lowercase letters, digits, dots and hyphens)';
  }
  if (name.startsWith('xn--') || name.startsWith('sthree-') || name.endsWith('-s3alias') || name.endsWith('--ol-s3')) {
    return 'uses a prefix or suffix S3 reserves';
  }
  return undefined;
}

/**
 * Generation of every Glue security configuration's name. A security configuration cannot be
 * updated: CloudFormation replaces it on any change (a new layer key, an encryption mode), creating
 * the new one before deleting the old, which fails while both have one name. Raise this by one in
 * the change that replaces them: the configurations get new names (`…-g2`), crawlers and jobs
 * follow (they take the name from here), and the old ones are deleted. docs/operations.md,
 * "Replacing a Glue security configuration".
 */
export const GLUE_SECURITY_CONFIGURATION_GENERATION = 1;

/** Glue security configuration of the jobs and crawlers that write a layer (one S3 key each). */
export function glueSecurityConfigurationName(
  scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, layer: DataLayer, generation: number = GLUE_SECURITY_CONFIGURATION_GENERATION,
): string {
  // Generation 1 keeps the names deployed before generations existed.
  return `${scope.organisation}-${scope.environment}-${lob}-${layer}${generation > 1 ? `-g${generation}` : ''}`;
}


/** Crawler of one dataset's raw prefix; `full` re-reads everything to apply schema changes and deletions. */
export function crawlerName(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, dataset: string, kind: 'incremental' | 'full'): string {
  return `${scope.organisation}-${scope.environment}-${lob}-${dataset}-${kind}`;
}

/**
 * `<org>-<env>-<lob>-<purpose>`: names of a LoB's functions, queues, workgroups and the like, so
 * key policies, other stacks and runbooks can name them without references.
 */
export function lobResourceName(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, purpose: string): string {
  return `${scope.organisation}-${scope.environment}-${lob}-${purpose}`;
}

/** IAM role names follow the same scheme; a separate name says which kind of thing is meant. */
export const lobRoleName = lobResourceName;

/**
 * The QuickSight dataset of an enriched table: the dashboard creates it under this id and the
 * curation flow starts its SPICE ingestion by it, so both derive it here.
 */
export function quickSightDataSetId(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, table: string): string {
  return lobResourceName(scope, lob, `bi-${datasetSlug(table)}`);
}

/** The LoB's QuickSight Athena data source. */
export function quickSightDataSourceId(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string): string {
  return lobResourceName(scope, lob, 'bi-athena');
}

/** The LoB's QuickSight dashboard. */
export function quickSightDashboardId(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string): string {
  return lobResourceName(scope, lob, 'bi-dashboard');
}

/** A persona's Athena workgroup carries the persona role's name: one workgroup per persona. */
export function personaWorkgroupName(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, persona: string): string {
  return lobResourceName(scope, lob, persona);
}

/**
 * A dataset (or curated table) name inside a hyphenated physical name: underscores, valid in
 * identifiers, become hyphens, which every service's name pattern here accepts.
 */
export function datasetSlug(name: string): string {
  return name.replace(/_/g, '-');
}

/** `<org>-<env>-<lob>-<dataset>[-<purpose>]`: a resource that exists once per dataset. */
export function datasetResourceName(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, dataset: string, purpose?: string): string {
  return lobResourceName(scope, lob, purpose === undefined ? datasetSlug(dataset) : `${datasetSlug(dataset)}-${purpose}`);
}

/** IAM roles per dataset follow the same scheme; a separate name says which kind of thing is meant. */
export const datasetRoleName = datasetResourceName;

/** Glue job that keeps one curated table. */
export function curatedJobName(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, layer: DataLayer, table: string): string {
  return lobResourceName(scope, lob, `${layer}-${datasetSlug(table)}`);
}

/** Lambda writes to the log group of this name; a stack creates it first to own retention and key. */
export function lambdaLogGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** Log group of a Firehose delivery stream, under the prefix Firehose's console looks in. */
export function firehoseLogGroupName(deliveryStreamName: string): string {
  return `/aws/kinesisfirehose/${deliveryStreamName}`;
}

/**
 * Log group of a Step Functions state machine: vended logs need the `/aws/vendedlogs/` prefix, or
 * the log group's resource policy grows with every state machine and hits its size limit.
 */
export function stateMachineLogGroupName(stateMachineName: string): string {
  return `/aws/vendedlogs/states/${stateMachineName}`;
}

/** Every log group Glue names itself, for jobs and crawlers. */
export const GLUE_LOG_GROUP_PATTERN = '/aws-glue/*';
/** The log groups of Glue crawlers, within GLUE_LOG_GROUP_PATTERN. */
export const GLUE_CRAWLER_LOG_GROUP_PATTERN = '/aws-glue/crawlers*';

/** SSM parameters of a LoB live under `/<org>/<env>/<lob>`; tools read them by this prefix. */
export function parameterPrefix(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string): string {
  return `/${scope.organisation}/${scope.environment}/${lob}`;
}

/** One SSM parameter of a LoB, e.g. `buckets/raw` or `transform/queue-url`. */
export function parameterName(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, name: string): string {
  return `${parameterPrefix(scope, lob)}/${name}`;
}

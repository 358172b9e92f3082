/**
 * Schema of a line-of-business file, `config/lobs/<lob>.yaml`.
 *
 * A LoB is one team's slice of the lake: its datasets, who may see what (personas), and how long
 * its data is kept. Adding a LoB is adding one of these files; no TypeScript changes.
 */
import { z } from 'zod';
import { CLASSIFICATIONS } from './classifications';
import { curatedSchema } from './curated-schema';
import { curatedIssues } from './curated-tables';
import { columnDialectFields, columnDialectIssues, datasetDialectFields, datasetDialectIssues } from './dialect-schema';
import { apiResponseIssues } from './api-response-schema';
import { jsonShapeIssues, jsonShapeSchema } from './json-shape-schema';
import { logRetentionDays } from './log-retention';
import { partitionColumnsSchema, partitionIssues } from './partition-schema';
import { sourceSchema } from './source-schema';
import { COLUMN_TYPE_CHOICES, COLUMN_TYPE_PATTERN, MAX_DECIMAL_PRECISION, parseColumnType } from '../../contract/column-types';
import { type Dataset, type DatasetColumn, FORMATS, INGEST_MODES } from '../../contract/dataset';
import { DEFAULT_INTEGER_ENCODING, INTEGER_ENCODINGS } from '../../contract/integer-encoding';
import { RESERVED_FOLDERS } from '../../contract/standardized-layout';
import { ROW_GROUP_SIZE } from '../../contract/transform-settings';
import {
  ATHENA_RESERVED_WORDS, DATA_LAYERS, IDENTIFIER_PATTERN, IDENTIFIER_RULE, MAX_GLUE_NAME_LENGTH, SLUG_PATTERN, SLUG_RULE,
} from './names';

export { CLASSIFICATIONS, type Classification } from './classifications';
export { FORMATS, INGEST_MODES } from '../../contract/dataset';

/** Top-level folders of the standardized bucket that are not datasets (see contract/standardized-layout.ts). */
export const RESERVED_DATASET_NAMES: ReadonlySet<string> = new Set(RESERVED_FOLDERS);

/**
 * Compile-time check that what this schema validates is what the runtime takes: `T`, which must
 * be assignable to `Contract` (contract/dataset.ts), or tsc fails on the type that drifted.
 */
type Satisfies<T extends Contract, Contract> = T;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** EventBridge/Glue schedule syntax: `cron(<6 fields>)`. */
const CRON = /^cron\((\S+ ){5}\S+\)$/;
const cron = (what: string) => z.string().regex(CRON, { error: (issue) => `expected a ${what} as cron(minutes hours day-of-month month day-of-week year); got ${JSON.stringify(issue.input)}` });

const slug = (what: string) =>
  z.string().regex(SLUG_PATTERN, { error: (issue) => `expected ${what} of ${SLUG_RULE}; got ${JSON.stringify(issue.input)}` });

const identifier = (what: string) =>
  z.string()
    .max(MAX_GLUE_NAME_LENGTH, { error: `expected a ${what} of at most ${MAX_GLUE_NAME_LENGTH} characters (Glue's limit)` })
    .regex(IDENTIFIER_PATTERN, { error: (issue) => `expected a ${what} of ${IDENTIFIER_RULE}; got ${JSON.stringify(issue.input)}` });

export const columnSchema = z.strictObject({
  name: identifier('column name').refine((name) => !ATHENA_RESERVED_WORDS.has(name), {
    error: (issue) => `${JSON.stringify(issue.input)} is a reserved word in Athena queries; choose another column name`,
  }),
  type: z.string({ error: `expected one of ${COLUMN_TYPE_CHOICES}` })
    .regex(COLUMN_TYPE_PATTERN, { abort: true, error: (issue) => `expected one of ${COLUMN_TYPE_CHOICES}; got ${JSON.stringify(issue.input)}` })
    .refine((text) => parseColumnType(text) !== undefined, {
      error: (issue) => `expected decimal(p,s) with precision 1-${MAX_DECIMAL_PRECISION} and scale <= precision; got ${JSON.stringify(issue.input)}`,
    })
    .meta({ description: `One of ${COLUMN_TYPE_CHOICES} (decimal precision 1-${MAX_DECIMAL_PRECISION}, scale <= precision)` }),
  nullable: z.boolean().default(true).meta({ description: 'Whether records may omit the value. Default true.' }),
  classification: z.enum(CLASSIFICATIONS).default('internal')
    .meta({ description: 'Drives Lake Formation column tags: pii columns are hidden from personas without pii access. Default internal.' }),
  description: z.string().optional(),
  allowedValues: z.array(z.string().min(1)).min(1).optional()
    .meta({ description: 'For string columns: the only values allowed. Enables partition projection on a string partition column.' }),
  range: z.strictObject({
    min: z.union([z.number(), z.string().regex(ISO_DATE, { error: 'expected a date as YYYY-MM-DD' })]).optional(),
    max: z.union([z.number(), z.string().regex(ISO_DATE, { error: 'expected a date as YYYY-MM-DD' })]).optional(),
  }).optional().meta({ description: 'Inclusive bounds: numbers for numeric columns, YYYY-MM-DD for dates. A date partition is projected from range.min.' }),
  ...columnDialectFields,
}).superRefine((column, ctx) => {
  const type = parseColumnType(column.type);
  if (!type) return;
  columnDialectIssues(column, type, ctx);
  if (column.allowedValues && type.kind !== 'string') {
    ctx.addIssue({ code: 'custom', path: ['allowedValues'], message: `only valid for string columns; this column is ${column.type}` });
  }
  if (!column.range) return;
  const numeric = ['int', 'bigint', 'double', 'decimal'].includes(type.kind);
  for (const bound of ['min', 'max'] as const) {
    const value = column.range[bound];
    if (value === undefined) continue;
    if (numeric && typeof value !== 'number') ctx.addIssue({ code: 'custom', path: ['range', bound], message: `expected a number for a ${column.type} column; got ${JSON.stringify(value)}` });
    if (type.kind === 'date' && typeof value !== 'string') ctx.addIssue({ code: 'custom', path: ['range', bound], message: `expected a date as YYYY-MM-DD; got ${JSON.stringify(value)}` });
    if (!numeric && type.kind !== 'date') ctx.addIssue({ code: 'custom', path: ['range'], message: `only valid for numeric and date columns; this column is ${column.type}` });
  }
  const { min, max } = column.range;
  if (min !== undefined && max !== undefined && typeof min === typeof max && min > max) {
    ctx.addIssue({ code: 'custom', path: ['range'], message: `expected min <= max; got min ${JSON.stringify(min)}, max ${JSON.stringify(max)}` });
  }
});
export type ColumnConfig = Satisfies<z.infer<typeof columnSchema>, DatasetColumn>;

const streamSchema = z.strictObject({
  kinesisDataStream: z.boolean().default(false)
    .meta({ description: 'Put an on-demand, KMS-encrypted Kinesis Data Stream in front of Firehose. Default false (direct PUT).' }),
  // Firehose requires at least 64 MiB when dynamic partitioning is on, which it always is here.
  bufferSizeMb: z.number().int().min(64, { error: 'expected at least 64: Firehose requires 64 MiB or more with dynamic partitioning' }).max(128)
    .default(64).meta({ description: 'Firehose buffer size in MiB (64-128; dynamic partitioning needs 64 or more). Default 64.' }),
  bufferIntervalSeconds: z.number().int().min(0).max(900).default(60)
    .meta({ description: 'Firehose buffer interval in seconds (0-900). Default 60.' }),
});

export const datasetSchema = z.strictObject({
  name: identifier('dataset name').refine((name) => !RESERVED_DATASET_NAMES.has(name), {
    error: (issue) => `${JSON.stringify(issue.input)} is a folder the transform writes in the standardized bucket; choose another dataset name`,
  }),
  description: z.string().optional(),
  ingest: z.enum(INGEST_MODES).meta({ description: 'batch: files uploaded to raw landing/<dataset>/; stream: records sent to Firehose.' }),
  format: z.enum(FORMATS).meta({ description: 'How raw records are encoded: csv, jsonl, nested_json or json (optionally gzip-compressed), or parquet (docs/datasets.md).' }),
  nestedKeys: z.array(identifier('column name')).min(1).optional()
    .meta({ description: 'For format nested_json: the column each level of object keys becomes, outermost first.' }),
  json: jsonShapeSchema.optional(),
  schema: z.array(columnSchema).min(1, { error: 'expected at least one column' }),
  partitionColumns: partitionColumnsSchema,
  primaryKey: z.array(identifier('column name')).min(1, { error: 'expected at least one primary key column' }),
  stream: streamSchema.optional().meta({ description: 'Firehose settings; only for ingest: stream.' }),
  ...datasetDialectFields,
  source: sourceSchema.optional().meta({ description: 'A scheduled pull that fetches this batch dataset\'s raw objects: api (docs/api-sources.md) or database (docs/database-sources.md).' }),
}).superRefine((dataset, ctx) => {
  const columns = new Map(dataset.schema.map((column) => [column.name, column]));
  const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });

  dataset.schema.forEach((column, index) => {
    if (dataset.schema.findIndex((other) => other.name === column.name) !== index) {
      problem(['schema', index, 'name'], `duplicate column name ${JSON.stringify(column.name)}`);
    }
  });
  dataset.primaryKey.forEach((name, index) => {
    const column = columns.get(name);
    if (!column) problem(['primaryKey', index], `expected a column of this dataset's schema; got ${JSON.stringify(name)}`);
    else if (column.nullable) problem(['primaryKey', index], `primary key column ${JSON.stringify(name)} must be declared nullable: false`);
  });
  partitionIssues(dataset, ctx);
  if (dataset.format === 'nested_json') {
    if (!dataset.nestedKeys) problem(['nestedKeys'], 'expected the list of key columns, outermost first, for format nested_json');
    dataset.nestedKeys?.forEach((name, index) => {
      if (!columns.has(name)) problem(['nestedKeys', index], `expected a column of this dataset's schema; got ${JSON.stringify(name)}`);
    });
  } else if (dataset.nestedKeys) {
    problem(['nestedKeys'], `only valid with format nested_json; this dataset's format is ${dataset.format}`);
  }
  jsonShapeIssues(dataset, new Set(columns.keys()), problem);
  apiResponseIssues(dataset.source?.api?.response, new Set(columns.keys()), problem);
  if (dataset.ingest === 'stream' && dataset.format !== 'jsonl') {
    problem(['format'], `stream datasets receive one JSON record per Firehose record; expected jsonl, got ${dataset.format}`);
  }
  if (dataset.stream && dataset.ingest !== 'stream') {
    problem(['stream'], 'only valid with ingest: stream');
  }
  datasetDialectIssues(dataset, ctx);
  if (dataset.source && dataset.ingest !== 'batch') {
    problem(['ingest'], `a dataset with a source is pulled into raw landing/<dataset>/; expected batch, got ${dataset.ingest}`);
  }
  // An API answers in text: a Parquet dataset pulled from one says in what (its uploads stay Parquet).
  if (dataset.source?.api && dataset.format === 'parquet' && !dataset.source.api.response) {
    problem(['source', 'api', 'response'], 'expected the format the API answers in (source.api.response.format: json, jsonl or nested_json); the dataset\'s format parquet is a file format, not a response format');
  }
  // The database pull writes gzip JSON lines, one object per row, named by column.
  if (dataset.source?.database && dataset.format !== 'jsonl') {
    problem(['format'], `a database pull writes gzip JSON lines; expected jsonl, got ${dataset.format}`);
  }
  // A next link is read from a JSON document; CSV and JSON lines responses carry none.
  const responseFormat = dataset.source?.api?.response?.format ?? dataset.format;
  if (dataset.source?.api?.pagination && responseFormat !== 'json' && responseFormat !== 'nested_json') {
    problem(['source', 'api', 'pagination'], `next links are read from JSON documents; expected responses of format json or nested_json, got ${responseFormat}`);
  }
});
export type DatasetConfig = Satisfies<z.infer<typeof datasetSchema>, Dataset>;

export const personaSchema = z.strictObject({
  name: slug('a persona name'),
  description: z.string().optional(),
  layers: z.array(z.enum(DATA_LAYERS)).min(1).meta({ description: 'Layers this persona may read.' }),
  classifications: z.array(z.enum(CLASSIFICATIONS)).min(1)
    .meta({ description: 'Column classifications this persona may see; columns of other classifications are hidden.' }),
  write: z.boolean().default(false).meta({ description: 'Whether the persona may write to its layers. Default false.' }),
  rowFilters: z.array(z.strictObject({
    dataset: identifier('dataset name'),
    expression: z.string().min(1).meta({ description: 'A PartiQL WHERE clause, e.g. region = \'EMEA\'.' }),
  })).default([]).meta({ description: 'Row-level restrictions per dataset (Lake Formation data cells filters).' }),
  trustedPrincipals: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/, {
    error: (issue) => `expected an IAM principal ARN (arn:aws:iam::<account>:root|role/...|user/...); got ${JSON.stringify(issue.input)}`,
  })).default([]).meta({ description: 'Who may assume the persona role. Default: principals of the environment account.' }),
});
export type PersonaConfig = z.infer<typeof personaSchema>;

export const STORAGE_CLASSES = ['INTELLIGENT_TIERING', 'STANDARD_IA', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;
/** Athena cannot read objects in these classes, so only the raw layer may move there. */
export const ARCHIVE_STORAGE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);
/** S3 refuses transitions to the infrequent-access classes before an object is 30 days old. */
export const MIN_DAYS_BEFORE_IA = 30;

const lifecycleSchema = z.strictObject({
  transitions: z.array(z.strictObject({
    storageClass: z.enum(STORAGE_CLASSES),
    afterDays: z.number().int().min(0),
  })).optional().meta({ description: 'Storage class transitions of current versions, in increasing afterDays.' }),
  expireNoncurrentAfterDays: z.number().int().min(1).optional()
    .meta({ description: 'Delete versions this many days after they were overwritten or deleted.' }),
  expireAfterDays: z.number().int().min(1).optional()
    .meta({ description: 'Delete current objects this many days after creation. Default: never (results: 30).' }),
});
export type LifecycleConfig = z.infer<typeof lifecycleSchema>;

const storageSchema = z.strictObject({
  raw: lifecycleSchema.optional(),
  standardized: lifecycleSchema.optional(),
  conformed: lifecycleSchema.optional(),
  enriched: lifecycleSchema.optional(),
  results: lifecycleSchema.optional(),
}).superRefine((storage, ctx) => {
  for (const [layer, lifecycle] of Object.entries(storage)) {
    (lifecycle?.transitions ?? []).forEach((transition, index) => {
      const path = [layer, 'transitions', index];
      if (ARCHIVE_STORAGE_CLASSES.has(transition.storageClass) && layer !== 'raw') {
        ctx.addIssue({ code: 'custom', path: [...path, 'storageClass'], message: `Athena cannot read ${transition.storageClass} objects; only the raw layer may be archived there` });
      }
      if (['STANDARD_IA', 'ONEZONE_IA'].includes(transition.storageClass) && transition.afterDays < MIN_DAYS_BEFORE_IA) {
        ctx.addIssue({ code: 'custom', path: [...path, 'afterDays'], message: `S3 requires at least ${MIN_DAYS_BEFORE_IA} days before ${transition.storageClass}; got ${transition.afterDays}` });
      }
      const previous = lifecycle?.transitions?.[index - 1];
      if (previous && previous.afterDays >= transition.afterDays) {
        ctx.addIssue({ code: 'custom', path: [...path, 'afterDays'], message: `expected more than the previous transition's ${previous.afterDays} days; got ${transition.afterDays}` });
      }
    });
  }
});

const transformSchema = z.strictObject({
  memoryMb: z.number().int().min(256).max(10240).default(1024).meta({ description: 'Transform Lambda memory. Default 1024.' }),
  timeoutSeconds: z.number().int().min(30).max(900).default(300).meta({ description: 'Transform Lambda timeout per batch. Default 300.' }),
  maxConcurrency: z.number().int().min(2).max(1000).default(10)
    .meta({ description: 'Most transform Lambdas the SQS event source runs at once (its maximum concurrency, 2 to 1000); '
      + 'the rest of the backlog waits in the queue. Reserves nothing, so it deploys in any account. Default 10.' }),
  reservedConcurrency: z.number().int().min(1).max(1000).optional()
    .meta({ description: 'Opt-in: concurrency reserved for the transform Lambda, so other functions of the account cannot starve it. '
      + 'Lambda refuses a reservation that leaves fewer than 100 unreserved executions (new accounts often have 10 in all); '
      + 'at least maxConcurrency when set. Default: none reserved.' }),
  rowGroupRows: z.number().int().min(ROW_GROUP_SIZE.min).max(ROW_GROUP_SIZE.max).default(ROW_GROUP_SIZE.default)
    .meta({ description: `Rows per Parquet row group, and the most rows one invocation buffers. Default ${ROW_GROUP_SIZE.default}.` }),
  parquetIntegerEncoding: z.enum(INTEGER_ENCODINGS).default(DEFAULT_INTEGER_ENCODING).meta({
    description: 'How Parquet stores int, bigint, date, timestamp and decimal (up to 18 digits) columns: delta '
      + '(DELTA_BINARY_PACKED where smaller; smaller files, faster writes) or plain (for a reader without DELTA_BINARY_PACKED). Default delta.',
  }),
  logRetentionDays: logRetentionDays(365, 'the transform Lambda\'s logs'),
}).superRefine((transform, ctx) => {
  // AWS's guidance for SQS event sources: a reservation below the maximum concurrency throttles
  // the invocations the event source starts, and the throttled messages go back to the queue.
  if (transform.reservedConcurrency !== undefined && transform.reservedConcurrency < transform.maxConcurrency) {
    ctx.addIssue({
      code: 'custom', path: ['reservedConcurrency'],
      message: `expected at least maxConcurrency (${transform.maxConcurrency}) when set; got ${transform.reservedConcurrency}`,
    });
  }
});

const maintenanceSchema = z.strictObject({
  schedule: cron('schedule').default('cron(0 6 ? * SUN *)')
    .meta({ description: 'When the curated Iceberg tables are compacted, their old snapshots expired and orphan files removed. Default Sundays 06:00 UTC.' }),
  // An incremental run reads the changes between the snapshot its previous run recorded and now:
  // expiring that snapshot first would leave the next run nothing to read from but a rebuild.
  snapshotRetentionDays: z.number().int()
    .min(2, { error: 'expected at least 2: snapshots must outlive the daily curation interval, or the next incremental run cannot read what changed' })
    .default(7).meta({
      description: 'Days a curated table keeps its snapshots (how far time travel reaches). At least 2, so they outlive the daily curation '
        + 'interval and the next incremental run can still read the snapshots it needs. Default 7.',
    }),
  orphanFileAgeDays: z.number().int().min(1).default(3).meta({
    description: 'Files no snapshot references are removed once older than this many days (what a failed run left behind); '
      + 'younger ones may belong to a run still committing. Default 3.',
  }),
});

/** The LoB's streaming ingest: each stream dataset's Firehose record processor and delivery logs. */
const ingestSchema = z.strictObject({
  logRetentionDays: logRetentionDays(365, 'the record processors\' and Firehose delivery logs'),
  processor: z.strictObject({
    memoryMb: z.number().int().min(128).max(10240).default(512)
      .meta({ description: 'Memory of each stream dataset\'s Firehose record processor Lambda (128 to 10240). Default 512.' }),
  }).prefault({}).meta({ description: 'The Lambda Firehose calls to validate and partition each stream dataset\'s records.' }),
});

const curationSchema = z.strictObject({
  schedule: cron('schedule').default('cron(0 4 * * ? *)')
    .meta({ description: 'When conformed -> enriched (then the dashboard\'s SPICE refresh) runs. Default daily 04:00 UTC.' }),
  maxWorkers: z.number().int().min(2).max(100).default(10).meta({ description: 'Most G.1X workers a curation job scales to. Default 10.' }),
  timeoutMinutes: z.number().int().min(5).max(2880).default(60).meta({ description: 'Timeout of each Glue job. Default 60.' }),
  logRetentionDays: logRetentionDays(365, 'the curation state machine\'s logs'),
  maintenance: maintenanceSchema.prefault({}).meta({ description: 'Upkeep of the curated Iceberg tables (a Glue job on its own schedule).' }),
});

const dashboardSchema = z.strictObject({
  enabled: z.boolean().default(false).meta({ description: 'Deploy the QuickSight dashboard stack (the account needs a QuickSight subscription).' }),
  persona: slug('a persona name').default('bi-reader').meta({ description: 'Whose workgroup and Lake Formation grants QuickSight uses. Default bi-reader.' }),
  tables: z.array(identifier('enriched table name')).optional().meta({ description: 'Enriched tables to publish as datasets. Default: all.' }),
  importMode: z.enum(['SPICE', 'DIRECT_QUERY']).default('SPICE')
    .meta({ description: 'SPICE: datasets are imported, refreshed by each curation run once its enriched tables succeed. DIRECT_QUERY: every visual queries Athena. Default SPICE.' }),
  rowLevelSecurity: z.strictObject({
    rulesTable: identifier('enriched table name').meta({ description: 'Enriched table of rules: GroupName or UserName, then the columns to filter on.' }),
    tables: z.array(identifier('enriched table name')).min(1).meta({ description: 'Datasets the rules apply to.' }),
  }).optional(),
});

const analyticsSchema = z.strictObject({
  bytesScannedCutoffMb: z.number().int().min(10).default(10240)
    .meta({ description: 'Athena cancels a query of a persona workgroup that would scan more than this. Default 10240 (10 GiB).' }),
});

const catalogSchema = z.strictObject({
  crawlSchedule: cron('schedule').default('cron(15 2 * * ? *)')
    .meta({ description: 'When crawlers pick up new raw folders (incremental crawl). Default daily 02:15 UTC.' }),
  fullCrawlSchedule: cron('schedule').default('cron(45 3 ? * SUN *)')
    .meta({ description: 'When crawlers re-read all of raw to apply schema changes and deprecate deleted tables. Default Sundays 03:45 UTC.' }),
});

export const lobSchema = z.strictObject({
  $schema: z.string().optional().meta({ description: 'Path of this JSON Schema, for editors.' }),
  name: slug('a line-of-business name').meta({ description: 'Must match the file name. Used in bucket, stack and database names.' }),
  description: z.string().optional(),
  owner: z.string().min(1).meta({ description: 'Accountable team or address; also the `owner` tag.' }),
  costCenter: z.string().min(1).meta({ description: 'The `cost-center` tag on every resource of this LoB.' }),
  storage: storageSchema.default({}).meta({ description: 'Lifecycle per storage layer; defaults in docs/configuration.md, "Storage lifecycle".' }),
  transform: transformSchema.prefault({}).meta({ description: 'The raw-to-standardized transform Lambda.' }),
  ingest: ingestSchema.prefault({}).meta({ description: 'Firehose ingest of the LoB\'s stream datasets (ingest: stream).' }),
  curation: curationSchema.prefault({}).meta({ description: 'Glue jobs building the conformed and enriched layers.' }),
  dashboard: dashboardSchema.prefault({}).meta({ description: 'QuickSight data source, datasets and dashboard.' }),
  analytics: analyticsSchema.prefault({}).meta({ description: 'Athena workgroups, one per persona.' }),
  catalog: catalogSchema.prefault({})
    .meta({ description: 'Raw-layer crawler schedules.' }),
  datasets: z.array(datasetSchema).min(1, { error: 'expected at least one dataset' }),
  curated: curatedSchema.prefault({}).meta({ description: 'Conformed and enriched Apache Iceberg tables, built by Glue jobs from glue-scripts/sql/<lob>/<layer>/<table>.sql (docs/curated-layers.md).' }),
  personas: z.array(personaSchema).default([]),
}).superRefine((lob, ctx) => {
  const datasetNames = lob.datasets.map((dataset) => dataset.name);
  datasetNames.forEach((name, index) => {
    if (datasetNames.indexOf(name) !== index) {
      ctx.addIssue({ code: 'custom', path: ['datasets', index, 'name'], message: `duplicate dataset name ${JSON.stringify(name)}` });
    }
  });
  // Curated tables refer to datasets and their columns: checked once the datasets themselves are
  // valid, so one mistake in a dataset is reported once, not again by every table built on it.
  const datasetsValid = lob.datasets.every((dataset) => datasetSchema.safeParse(dataset).success) && new Set(datasetNames).size === datasetNames.length;
  if (datasetsValid) for (const issue of curatedIssues(lob)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  const enrichedNames = lob.curated.enriched.map((table) => table.name);
  const enrichedTable = (path: (string | number)[], name: string) => {
    if (!enrichedNames.includes(name)) {
      ctx.addIssue({ code: 'custom', path, message: `expected one of this LoB's enriched tables (${enrichedNames.join(', ') || 'none declared'}); got ${JSON.stringify(name)}` });
    }
  };
  lob.dashboard.tables?.forEach((name, index) => enrichedTable(['dashboard', 'tables', index], name));
  if (lob.dashboard.rowLevelSecurity) {
    enrichedTable(['dashboard', 'rowLevelSecurity', 'rulesTable'], lob.dashboard.rowLevelSecurity.rulesTable);
    lob.dashboard.rowLevelSecurity.tables.forEach((name, index) => enrichedTable(['dashboard', 'rowLevelSecurity', 'tables', index], name));
  }
  if (lob.dashboard.enabled && enrichedNames.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['dashboard', 'enabled'], message: 'the dashboard publishes enriched tables, and this LoB declares none under curated.enriched' });
  }
  if (lob.dashboard.enabled && !lob.personas.some((persona) => persona.name === lob.dashboard.persona)) {
    ctx.addIssue({ code: 'custom', path: ['dashboard', 'persona'], message: `expected one of this LoB's personas (${lob.personas.map((p) => p.name).join(', ')}); got ${JSON.stringify(lob.dashboard.persona)}` });
  }
  lob.personas.forEach((persona, index) => {
    if (lob.personas.findIndex((other) => other.name === persona.name) !== index) {
      ctx.addIssue({ code: 'custom', path: ['personas', index, 'name'], message: `duplicate persona name ${JSON.stringify(persona.name)}` });
    }
    persona.rowFilters.forEach((filter, filterIndex) => {
      if (!datasetNames.includes(filter.dataset)) {
        ctx.addIssue({
          code: 'custom', path: ['personas', index, 'rowFilters', filterIndex, 'dataset'],
          message: `expected one of this LoB's datasets (${datasetNames.join(', ')}); got ${JSON.stringify(filter.dataset)}`,
        });
      }
    });
  });
});
export type LobConfig = z.infer<typeof lobSchema>;

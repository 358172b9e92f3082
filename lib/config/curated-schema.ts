/**
 * Schema of a LoB's curated tables (`curated:` in `config/lobs/<lob>.yaml`): the conformed and
 * enriched Apache Iceberg tables its Glue jobs maintain, each with its SQL file
 * (`glue-scripts/sql/<lob>/<layer>/<table>.sql`), declared columns, primary key, Iceberg
 * partitioning and how a daily run finds the rows it must recompute.
 *
 * The declaration is the table's contract: the job creates the table from it, refuses a SQL result
 * that does not match it before writing anything, and QuickSight and Lake Formation read it at
 * synth. See docs/curated-layers.md.
 */
import { z } from 'zod';
import { CLASSIFICATIONS, type Classification } from './classifications';
import { COLUMN_TYPE_CHOICES, COLUMN_TYPE_PATTERN, MAX_DECIMAL_PRECISION, parseColumnType } from '../../contract/column-types';
import { IDENTIFIER_PATTERN, IDENTIFIER_RULE, MAX_GLUE_NAME_LENGTH } from './names';

export const CURATED_LAYERS = ['conformed', 'enriched'] as const;
export type CuratedLayer = (typeof CURATED_LAYERS)[number];

/**
 * Every conformed table carries, after its declared columns, when the raw object its row came from
 * arrived: the conformed SQL selects it from the standardized view, and the default precedence
 * (the latest delivery of a key wins) orders by it.
 */
export const INGESTED_AT = 'ingested_at';
export const INGESTED_AT_CLASSIFICATION: Classification = 'internal';

const identifier = (what: string) =>
  z.string()
    .max(MAX_GLUE_NAME_LENGTH, { error: `expected a ${what} of at most ${MAX_GLUE_NAME_LENGTH} characters (Glue's limit)` })
    .regex(IDENTIFIER_PATTERN, { error: (issue) => `expected a ${what} of ${IDENTIFIER_RULE}; got ${JSON.stringify(issue.input)}` });

const columnType = z.string({ error: `expected one of ${COLUMN_TYPE_CHOICES}` })
  .regex(COLUMN_TYPE_PATTERN, { abort: true, error: (issue) => `expected one of ${COLUMN_TYPE_CHOICES}; got ${JSON.stringify(issue.input)}` })
  .refine((text) => parseColumnType(text) !== undefined, {
    error: (issue) => `expected decimal(p,s) with precision 1-${MAX_DECIMAL_PRECISION} and scale <= precision; got ${JSON.stringify(issue.input)}`,
  });

export const curatedColumnSchema = z.strictObject({
  name: identifier('column name'),
  type: columnType.meta({ description: `One of ${COLUMN_TYPE_CHOICES}: what the SQL must return for this column.` }),
  nullable: z.boolean().default(true).meta({ description: 'Whether the SQL may return NULL here. Default true.' }),
  classification: z.enum(CLASSIFICATIONS).optional().meta({
    description: 'Who may see the column (Lake Formation). Default: the most sensitive classification of a same-named column in the '
      + 'table\'s sources; required for columns no source has.',
  }),
  description: z.string().optional(),
});
export type CuratedColumnConfig = z.infer<typeof curatedColumnSchema>;

/**
 * Iceberg partition transforms in Spark's DDL spelling: a column (identity), `years|months|days|hours(col)`,
 * `bucket(n, col)`, `truncate(width, col)`.
 */
export const PARTITION_TRANSFORM_PATTERN = /^(?:(years|months|days|hours)\(([a-z][a-z0-9_]*)\)|(bucket|truncate)\((\d+), ?([a-z][a-z0-9_]*)\)|([a-z][a-z0-9_]*))$/;
const partitionTransform = z.string().regex(PARTITION_TRANSFORM_PATTERN, {
  error: (issue) => `expected an Iceberg partition transform: <column>, years(<column>), months(<column>), days(<column>), hours(<column>), bucket(<n>, <column>) or truncate(<width>, <column>); got ${JSON.stringify(issue.input)}`,
});

export interface PartitionTransform {
  readonly transform: 'identity' | 'years' | 'months' | 'days' | 'hours' | 'bucket' | 'truncate';
  readonly column: string;
  readonly argument?: number;
}

export function parsePartitionTransform(text: string): PartitionTransform | undefined {
  const match = PARTITION_TRANSFORM_PATTERN.exec(text);
  if (!match) return undefined;
  if (match[1]) return { transform: match[1] as PartitionTransform['transform'], column: match[2] };
  if (match[3]) return { transform: match[3] as 'bucket' | 'truncate', argument: Number(match[4]), column: match[5] };
  return { transform: 'identity', column: match[6] };
}

/** Which column types each transform takes (Iceberg spec, "Partition Transforms"). */
export const TRANSFORM_KINDS: Record<PartitionTransform['transform'], ReadonlySet<string>> = {
  identity: new Set(['string', 'int', 'bigint', 'date', 'boolean', 'decimal', 'timestamp']),
  years: new Set(['date', 'timestamp']),
  months: new Set(['date', 'timestamp']),
  days: new Set(['date', 'timestamp']),
  hours: new Set(['timestamp']),
  bucket: new Set(['string', 'int', 'bigint', 'date', 'decimal', 'timestamp']),
  truncate: new Set(['string', 'int', 'bigint', 'decimal']),
};

/** `<column> ASC|DESC [NULLS FIRST|LAST]`, one term of an ordering. */
export const ORDER_TERM_PATTERN = /^([a-z][a-z0-9_]*) (ASC|DESC)(?: NULLS (FIRST|LAST))?$/;
const orderTerm = z.string().regex(ORDER_TERM_PATTERN, {
  error: (issue) => `expected "<column> ASC|DESC [NULLS FIRST|LAST]"; got ${JSON.stringify(issue.input)}`,
});

export interface OrderTerm {
  readonly column: string;
  readonly direction: 'ASC' | 'DESC';
  readonly nulls: 'FIRST' | 'LAST';
}

/** A term with its NULLS placement spelled out: NULLs sort last unless the term says otherwise. */
export function parseOrderTerm(text: string): OrderTerm | undefined {
  const match = ORDER_TERM_PATTERN.exec(text);
  if (!match) return undefined;
  return { column: match[1], direction: match[2] as OrderTerm['direction'], nulls: (match[3] ?? 'LAST') as OrderTerm['nulls'] };
}

const common = {
  name: identifier('table name'),
  description: z.string().optional(),
  primaryKey: z.array(identifier('column name')).min(1, { error: 'expected at least one primary key column' })
    .meta({ description: 'Columns that identify a row: MERGE matches on them, and a quality rule checks they are unique and complete.' }),
  partitionedBy: z.array(partitionTransform).default([])
    .meta({ description: 'Iceberg partition transforms, e.g. [months(date)]: partition where queries and dashboards filter.' }),
  columns: z.array(curatedColumnSchema).min(1, { error: 'expected at least one column' })
    .meta({ description: 'The columns the SQL returns, in order, with their types: the table\'s schema.' }),
};

export const conformedTableSchema = z.strictObject({
  ...common,
  source: identifier('dataset name').meta({ description: 'The standardized dataset this table conforms; its SQL reads it by name.' }),
  precedence: z.array(orderTerm).min(1).default([`${INGESTED_AT} DESC`]).meta({
    description: `Which copy of a key wins when several arrive (replays, re-deliveries, corrections): an ordering, best first. `
      + `Default [${INGESTED_AT} DESC]: the latest delivery wins. Every other column breaks the remaining ties.`,
  }),
});
export type ConformedTableConfig = z.infer<typeof conformedTableSchema>;

const recomputeSourceSchema = z.strictObject({
  slice: z.record(identifier('column name'), identifier('column name'))
    .refine((slice) => Object.keys(slice).length > 0, { error: 'expected at least one <table column>: <source column> pair' })
    .meta({ description: 'Columns of this table (keys) equal to columns of the source (values): a changed source row is recomputed with every row of its slice.' }),
  window: z.strictObject({
    orderBy: identifier('column name').meta({ description: 'The column, in both tables, the SQL\'s windows order by.' }),
    rows: z.number().int().min(1).meta({ description: 'How many rows before a row its windows reach (19 for a 20-row moving average).' }),
  }).optional().meta({ description: 'For SQL with windows over a slice: rows a change reaches forward, and history a recomputation needs.' }),
});
export type RecomputeSourceConfig = z.infer<typeof recomputeSourceSchema>;

export const enrichedTableSchema = z.strictObject({
  ...common,
  recompute: z.union([
    z.literal('full'),
    z.record(identifier('conformed table name'), recomputeSourceSchema),
  ]).meta({
    description: 'How a daily run finds what to recompute: per source conformed table, the slice a change affects (and the window '
      + 'history it needs); or "full" to rebuild the whole table every run (cost grows with history).',
  }),
});
export type EnrichedTableConfig = z.infer<typeof enrichedTableSchema>;

export const curatedSchema = z.strictObject({
  conformed: z.array(conformedTableSchema).default([]),
  enriched: z.array(enrichedTableSchema).default([]),
});
export type CuratedConfig = z.infer<typeof curatedSchema>;

/**
 * A dataset's `partitionColumns` (contract/partitioning.ts): column names, or a date or timestamp
 * column at a coarser grain in a key of its own. Kept apart from lob-schema.ts, which takes the
 * field and calls the checks below from its dataset refinement.
 */
import { z } from 'zod';
import { PARTITIONABLE_KINDS, parseColumnType } from '../../contract/column-types';
import { PARTITION_GRANULARITIES, type PartitionEntry, partitionKeyOf } from '../../contract/partitioning';
import { problemsFromIssue } from './config-error';
import { ATHENA_RESERVED_WORDS, IDENTIFIER_PATTERN, IDENTIFIER_RULE, MAX_GLUE_NAME_LENGTH } from './names';

const identifier = (what: string) =>
  z.string()
    .max(MAX_GLUE_NAME_LENGTH, { error: `expected a ${what} of at most ${MAX_GLUE_NAME_LENGTH} characters (Glue's limit)` })
    .regex(IDENTIFIER_PATTERN, { error: (issue) => `expected a ${what} of ${IDENTIFIER_RULE}; got ${JSON.stringify(issue.input)}` });

const derivedPartitionSchema = z.strictObject({
  column: identifier('column name').meta({ description: 'A non-null date or timestamp column of the schema; it stays in the files as a regular column.' }),
  granularity: z.enum(PARTITION_GRANULARITIES).meta({ description: 'month (<as>=YYYY-MM/) or year (<as>=YYYY/); timestamps by their UTC date.' }),
  as: identifier('partition key name').refine((name) => !ATHENA_RESERVED_WORDS.has(name), {
    error: (issue) => `${JSON.stringify(issue.input)} is a reserved word in Athena queries; choose another partition key name`,
  }).meta({ description: 'The partition key\'s name, e.g. trade_month: a new name, not a column of the schema.' }),
});

/**
 * A union names no branch when the input matches neither, so the error says what a mapping
 * entry got wrong, field by field, as every other config error does.
 */
function entryError(input: unknown): string {
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const result = derivedPartitionSchema.safeParse(input, { reportInput: true });
    if (!result.success) {
      return result.error.issues.flatMap((issue) => problemsFromIssue('', issue)).map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message)).join('; ');
    }
  }
  return `expected a column name or {column, granularity, as}; got ${JSON.stringify(input)}`;
}

const partitionEntrySchema = z.union([identifier('column name'), derivedPartitionSchema], { error: (issue) => entryError(issue.input) });

export const partitionColumnsSchema = z.array(partitionEntrySchema).default([]).meta({
  description: 'Hive partitions in standardized, in folder order: a column name (<column>=<value>/), or '
    + '{column, granularity, as} for a date or timestamp column at a coarser grain (<as>=YYYY-MM/).',
});

interface PartitionedDataset {
  readonly schema: ReadonlyArray<{ readonly name: string; readonly type: string; readonly nullable: boolean; readonly allowedValues?: readonly string[]; readonly range?: { readonly min?: unknown; readonly max?: unknown } }>;
  readonly partitionColumns: readonly PartitionEntry[];
}

/**
 * Each entry must name a non-null column whose values Athena can project (nothing registers
 * standardized partitions: Athena finds them by projection alone), and no two keys may share a
 * name, nor a derived key a column's.
 */
export function partitionIssues(dataset: PartitionedDataset, ctx: z.RefinementCtx): void {
  const columns = new Map(dataset.schema.map((column) => [column.name, column]));
  const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path: ['partitionColumns', ...path], message });
  const keyNames: string[] = [];
  dataset.partitionColumns.forEach((entry, index) => {
    const key = partitionKeyOf(entry);
    const derived = typeof entry !== 'string';
    const at = derived ? [index, 'column'] : [index];
    if (keyNames.includes(key.name)) problem(derived ? [index, 'as'] : [index], `duplicate partition key ${JSON.stringify(key.name)}`);
    keyNames.push(key.name);
    if (derived && columns.has(key.name)) {
      problem([index, 'as'], `${JSON.stringify(key.name)} is a column of the schema; a derived partition key needs a name of its own, e.g. ${key.column}_${key.granularity}`);
    }
    const column = columns.get(key.column);
    if (!column) {
      problem(at, `expected a column of this dataset's schema; got ${JSON.stringify(key.column)}`);
      return;
    }
    const type = parseColumnType(column.type);
    if (column.nullable) problem(at, `partition column ${JSON.stringify(key.column)} must be declared nullable: false`);
    if (derived) {
      if (type && type.kind !== 'date' && type.kind !== 'timestamp') {
        problem(at, `partition column ${JSON.stringify(key.column)} has type ${column.type}; a ${key.granularity} partition takes a date or timestamp column`);
      }
      return;
    }
    if (type && !PARTITIONABLE_KINDS.has(type.kind)) {
      problem(at, `partition column ${JSON.stringify(key.column)} has type ${column.type}; expected one of ${[...PARTITIONABLE_KINDS].join(', ')}`);
    }
    if (type?.kind === 'string' && !column.allowedValues) {
      problem(at, `partition column ${JSON.stringify(key.column)} is a string: declare its allowedValues so Athena can project its partitions, or partition by a date`);
    }
    if ((type?.kind === 'int' || type?.kind === 'bigint') && (typeof column.range?.min !== 'number' || typeof column.range?.max !== 'number')) {
      problem(at, `partition column ${JSON.stringify(key.column)} is an integer: declare its range (min and max) so Athena can project its partitions, or partition by a date`);
    }
  });
  if (dataset.partitionColumns.filter((entry) => typeof entry === 'string').length === dataset.schema.length) {
    ctx.addIssue({ code: 'custom', path: ['partitionColumns'], message: 'at least one column must remain outside the partition columns' });
  }
}

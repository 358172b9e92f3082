/**
 * Glue Data Quality rulesets (DQDL), generated from config so the checks follow the data model:
 *
 * - standardized rows are delivered at least once (replays, re-uploads), so their rules hold row by
 *   row and never across rows: completeness of non-null columns, allowed values, ranges. No
 *   uniqueness and no row count: a duplicate or a day without new files is normal there.
 * - a curated table holds one row per primary key, so its rules add IsPrimaryKey.
 *
 * DQDL fails NULL rows on every ColumnValues rule but `!=` and `NOT IN` (DQDL reference,
 * ColumnValues, "Null behavior"), so rules on nullable columns allow NULL explicitly: in a value
 * list, or with a where clause that skips NULL rows.
 */
import type { ResolvedColumn } from '../config/curated-tables';
import type { DatasetConfig } from '../config/lob-schema';

const quote = (text: string) => `"${text.replace(/"/g, '\\"')}"`;

/** Rules every new standardized row must pass; evaluated on the rows a run reads, never the whole table. */
export function datasetRules(dataset: DatasetConfig): string[] {
  const rules: string[] = [];
  for (const column of dataset.schema) {
    const name = quote(column.name);
    if (!column.nullable) rules.push(`IsComplete ${name}`);
    if (column.allowedValues) {
      const values = column.allowedValues.map(quote);
      rules.push(`ColumnValues ${name} in [${[...values, ...(column.nullable ? ['NULL'] : [])].join(', ')}]`);
    }
    const { min, max } = column.range ?? {};
    const bound = (value: number | string) => (typeof value === 'string' ? quote(value) : String(value));
    const skipNulls = column.nullable ? ` where ${quote(`${column.name} IS NOT NULL`)}` : '';
    if (min !== undefined) rules.push(`ColumnValues ${name} >= ${bound(min)}${skipNulls}`);
    if (max !== undefined) rules.push(`ColumnValues ${name} <= ${bound(max)}${skipNulls}`);
  }
  return rules;
}

/** Rules of a curated table's rows: one per primary key, declared non-null columns complete. */
export function curatedRules(columns: readonly ResolvedColumn[], primaryKey: readonly string[]): string[] {
  return [
    `IsPrimaryKey ${primaryKey.map(quote).join(' ')}`,
    ...columns.filter((column) => !column.nullable && !primaryKey.includes(column.name)).map((column) => `IsComplete ${quote(column.name)}`),
  ];
}

export function ruleset(rules: readonly string[]): string {
  return `Rules = [\n  ${rules.join(',\n  ')}\n]`;
}

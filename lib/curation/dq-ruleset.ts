/**
 * A dataset's Glue Data Quality ruleset (DQDL), generated from its config, so the checks follow
 * the schema: the primary key is unique and complete, non-null columns are complete, allowed
 * values and ranges hold, and the table is not empty.
 */
import type { DatasetConfig } from '../config/lob-schema';

const quote = (text: string) => `"${text.replace(/"/g, '\\"')}"`;

export function dqRules(dataset: DatasetConfig): string[] {
  const rules = ['RowCount > 0', `IsPrimaryKey ${dataset.primaryKey.map(quote).join(' ')}`];
  for (const column of dataset.schema) {
    if (!column.nullable && !dataset.primaryKey.includes(column.name)) rules.push(`IsComplete ${quote(column.name)}`);
    if (column.allowedValues) rules.push(`ColumnValues ${quote(column.name)} in [${column.allowedValues.map(quote).join(', ')}]`);
    const { min, max } = column.range ?? {};
    const bound = (value: number | string) => (typeof value === 'string' ? quote(value) : String(value));
    if (min !== undefined) rules.push(`ColumnValues ${quote(column.name)} >= ${bound(min)}`);
    if (max !== undefined) rules.push(`ColumnValues ${quote(column.name)} <= ${bound(max)}`);
  }
  return rules;
}

export function dqRuleset(dataset: DatasetConfig): string {
  return `Rules = [\n  ${dqRules(dataset).join(',\n  ')}\n]`;
}

/**
 * Named queries answer a LoB's common questions: `config/queries/<lob>/<name>.sql`, with the
 * layer databases written as `{{standardized}}`, `{{conformed}}` or `{{enriched}}` so the same
 * text serves every environment (and DuckDB schemas in the tests).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA_LAYERS } from '../config/names';

export const QUERIES_ROOT = path.join(__dirname, '..', '..', 'config', 'queries');

export interface NamedQuery {
  readonly name: string;
  /** The first comment line of the file. */
  readonly description: string;
  /** SQL with `{{layer}}` placeholders. */
  readonly template: string;
}

export function namedQueries(lob: string): NamedQuery[] {
  const dir = path.join(QUERIES_ROOT, lob);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((file) => file.endsWith('.sql')).sort().map((file) => {
    const template = fs.readFileSync(path.join(dir, file), 'utf8').trim();
    const description = /^--\s*(.+)$/m.exec(template)?.[1] ?? file;
    return { name: file.replace(/\.sql$/, ''), description, template };
  });
}

/** The SQL with each `{{layer}}` replaced by that layer's database (or schema) name. */
export function renderQuery(template: string, databaseOf: (layer: (typeof DATA_LAYERS)[number]) => string): string {
  return template.replace(/\{\{(\w+)\}\}/g, (match, layer: string) => {
    if (!(DATA_LAYERS as readonly string[]).includes(layer)) throw new Error(`unknown layer placeholder ${match}`);
    return databaseOf(layer as (typeof DATA_LAYERS)[number]);
  });
}

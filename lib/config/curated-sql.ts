/**
 * The SQL file of each curated table: `glue-scripts/sql/<lob>/<layer>/<table>.sql`. Conformed SQL
 * reads its one standardized dataset by name; enriched SQL reads conformed tables by name. Checked
 * at synth against the declarations in the LoB file, so a table without SQL, SQL without a
 * table, or SQL reading a table its declaration does not name fails before anything deploys.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigProblem } from './config-error';
import { CURATED_LAYERS, type CuratedLayer } from './curated-schema';
import type { LobConfig } from './lob-schema';

export const CURATED_SQL_ROOT = path.join(__dirname, '..', '..', 'glue-scripts', 'sql');

export function curatedSqlFile(lob: string, layer: CuratedLayer, table: string, sqlRoot: string = CURATED_SQL_ROOT): string {
  return path.join(sqlRoot, lob, layer, `${table}.sql`);
}

/** Which of `candidates` a SQL text reads: the names that follow FROM or JOIN, comments aside. */
export function sourceTables(sql: string, candidates: readonly string[]): string[] {
  const withoutComments = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  return candidates.filter((name) => new RegExp(`\\b(?:FROM|JOIN)\\s+${name}\\b`, 'i').test(withoutComments));
}

/** Problems between a LoB's curated declarations and the SQL files on disk. */
export function curatedSqlProblems(lob: LobConfig, lobFile: string, sqlRoot: string = CURATED_SQL_ROOT): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const display = (file: string) => path.relative(process.cwd(), file) || file;
  const conformedNames = lob.curated.conformed.map((table) => table.name);
  for (const layer of CURATED_LAYERS) {
    const declared = lob.curated[layer];
    declared.forEach((table, index) => {
      const file = curatedSqlFile(lob.name, layer, table.name, sqlRoot);
      const at = `curated.${layer}[${index}]`;
      if (!fs.existsSync(file)) {
        problems.push({ file: lobFile, path: `${at}.name`, message: `expected its SQL in ${display(file)}; no such file` });
        return;
      }
      const sql = fs.readFileSync(file, 'utf8');
      if ('source' in table) {
        const read = sourceTables(sql, lob.datasets.map((dataset) => dataset.name));
        if (read.length !== 1 || read[0] !== table.source) {
          problems.push({ file: lobFile, path: `${at}.source`, message: `${display(file)} must read exactly its source ${table.source}; it reads ${read.join(', ') || 'no dataset'}` });
        }
      } else {
        const read = sourceTables(sql, conformedNames);
        if (read.length === 0) problems.push({ file: lobFile, path: `${at}.name`, message: `${display(file)} reads no conformed table of this LoB` });
        if (table.recompute !== 'full') {
          const named = Object.keys(table.recompute);
          const unnamed = read.filter((name) => !named.includes(name));
          const unread = named.filter((name) => !read.includes(name));
          if (unnamed.length > 0) problems.push({ file: lobFile, path: `${at}.recompute`, message: `${display(file)} reads ${unnamed.join(', ')}; name each table it reads under recompute, with its slice` });
          if (unread.length > 0) problems.push({ file: lobFile, path: `${at}.recompute`, message: `${display(file)} does not read ${unread.join(', ')}` });
        }
      }
    });
    const dir = path.join(sqlRoot, lob.name, layer);
    const names = new Set(declared.map((table) => table.name));
    for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.sql')).sort() : []) {
      if (!names.has(file.replace(/\.sql$/, ''))) {
        problems.push({ file: lobFile, path: `curated.${layer}`, message: `${display(path.join(dir, file))} has no declaration here; declare the table (columns, primary key) or remove the file` });
      }
    }
  }
  return problems;
}

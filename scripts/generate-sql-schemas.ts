/**
 * Writes `glue-scripts/sql/<lob>/<layer>/<table>.columns.json`: the columns and types each curated
 * SQL file produces, found by running it on DuckDB over empty, typed standardized tables. Synth
 * reads these (QuickSight datasets need their columns declared) without running any SQL itself.
 *
 *   npm run sql:schemas            regenerate
 *   npm run sql:schemas -- --check exit 1 if any file is stale (the tests run this check)
 */
import * as fs from 'node:fs';
import { loadLakeConfig } from '../lib/config/load-config';
import { curatedSchemas } from '../lib/local/curated-schemas';

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  let stale = false;
  for (const lob of loadLakeConfig().lobs) {
    for (const { file, columns } of await curatedSchemas(lob)) {
      const content = `${JSON.stringify(columns, null, 2)}\n`;
      const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      if (current === content) continue;
      if (check) { stale = true; process.stderr.write(`${file} is out of date: run npm run sql:schemas\n`); continue; }
      fs.writeFileSync(file, content);
      process.stdout.write(`wrote ${file}\n`);
    }
  }
  return stale ? 1 : 0;
}

main().then((code) => process.exit(code), (error) => { process.stderr.write(`${error.stack}\n`); process.exit(1); });

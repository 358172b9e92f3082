/**
 * The output columns of every curated SQL file, as DuckDB types them over empty, typed standardized
 * tables, mapped back to the configured type names (string, bigint, double, date, timestamp, …).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { LobConfig } from '../config/lob-schema';
import { CURATED_LAYERS, runCuratedLayers, sqlFiles } from './curated-layers';

export interface CuratedColumn {
  readonly name: string;
  readonly type: string;
}

export function columnsFile(sqlFile: string): string {
  return sqlFile.replace(/\.sql$/, '.columns.json');
}

function configuredType(duckdbType: string): string {
  const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(duckdbType);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  switch (duckdbType) {
    case 'VARCHAR': return 'string';
    case 'INTEGER': return 'int';
    case 'BIGINT': case 'HUGEINT': return 'bigint';
    case 'DOUBLE': case 'FLOAT': return 'double';
    case 'BOOLEAN': return 'boolean';
    case 'DATE': return 'date';
    case 'TIMESTAMP WITH TIME ZONE': case 'TIMESTAMP': return 'timestamp';
    default: throw new Error(`no configured type for DuckDB type ${duckdbType}`);
  }
}

export async function curatedSchemas(lob: LobConfig): Promise<Array<{ file: string; columns: CuratedColumn[] }>> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-schemas-'));
  await runCuratedLayers(lob, out);
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const db = await instance.connect();
    const results: Array<{ file: string; columns: CuratedColumn[] }> = [];
    for (const layer of CURATED_LAYERS) {
      for (const { table, file } of sqlFiles(lob.name, layer)) {
        const described = (await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path.join(out, layer, table, '*.parquet')}')`)).getRowObjectsJson();
        results.push({ file: columnsFile(file), columns: described.map((row) => ({ name: String(row.column_name), type: configuredType(String(row.column_type)) })) });
      }
    }
    return results;
  } finally {
    instance.closeSync();
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** The committed columns of a curated table (see scripts/generate-sql-schemas.ts). */
export function curatedColumns(lob: string, layer: (typeof CURATED_LAYERS)[number], table: string): CuratedColumn[] {
  const file = sqlFiles(lob, layer).find((entry) => entry.table === table)?.file;
  if (!file || !fs.existsSync(columnsFile(file))) throw new Error(`${lob}/${layer}/${table}: no columns file; run npm run sql:schemas`);
  return JSON.parse(fs.readFileSync(columnsFile(file), 'utf8'));
}

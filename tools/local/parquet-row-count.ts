/** Rows in every Parquet file under a directory, as DuckDB reads them (0 when there are none). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

export async function countParquetRows(dir: string): Promise<number> {
  if (!fs.existsSync(dir)) return 0;
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    const pattern = path.join(dir, '**', '*.parquet').replace(/'/g, "''");
    const reader = await connection.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${pattern}')`);
    const [row] = reader.getRowObjectsJson() as Array<{ n: string | number }>;
    return Number(row.n);
  } catch (error) {
    if (/No files found/i.test((error as Error).message)) return 0;
    throw error;
  } finally {
    instance.closeSync();
  }
}

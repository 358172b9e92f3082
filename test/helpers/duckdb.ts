/** DuckDB, the independent engine the tests read Parquet back with. */
import { DuckDBInstance } from '@duckdb/node-api';

export async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
  } finally {
    instance.closeSync();
  }
}

/** Column name -> DuckDB type of a Parquet file or glob. */
export async function parquetTypes(pattern: string): Promise<Record<string, string>> {
  const rows = await query(`DESCRIBE SELECT * FROM read_parquet('${pattern}')`);
  return Object.fromEntries(rows.map((row) => [row.column_name as string, row.column_type as string]));
}

import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** Rows of a Parquet file as hyparquet reads them (dates as ISO strings, int64 as strings). */
export function readWithHyparquet(file: string): { numRows: number; rows: Array<Record<string, unknown>> } {
  return JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'read-with-hyparquet.mjs'), file], { encoding: 'utf8' }));
}

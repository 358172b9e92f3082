// Reads a Parquet file with hyparquet (a second, independent reader) and prints its rows as JSON.
// A child process, because hyparquet is an ES module and Jest runs CommonJS.
import fs from 'node:fs';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';

const buffer = fs.readFileSync(process.argv[2]);
const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
const rows = await parquetReadObjects({ file, utf8: true });
const metadata = parquetMetadata(file);
process.stdout.write(JSON.stringify({ numRows: Number(metadata.num_rows), rows }, (_key, value) => {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return value;
}));

/**
 * Parquet files as Spark writes them, for readers that must accept what other engines produce
 * (INT96 timestamps, Spark's footer metadata). Runs the PySpark of .venv (`npm run setup`) in a
 * local session in UTC; a missing .venv fails with what to run, never skips.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');

const WRITE = `
import json, sys
from pyspark.sql import SparkSession
builder = SparkSession.builder.master("local[1]").appName("lakeworks-test-parquet")
for key, value in {"spark.ui.enabled": "false", "spark.sql.session.timeZone": "UTC", **json.loads(sys.argv[3])}.items():
    builder = builder.config(key, value)
spark = builder.getOrCreate()
spark.sql(sys.argv[2]).coalesce(1).write.parquet(sys.argv[1])
spark.stop()
`;

/** The one Parquet file Spark writes for `sql`, with `settings` added to the session's configuration. */
export function sparkParquetOf(sql: string, settings: Record<string, string> = {}): Buffer {
  if (!fs.existsSync(PYTHON)) {
    throw new Error(`PySpark is missing (${path.relative(ROOT, PYTHON)}): run npm run setup (scripts/setup-spark.sh installs glue-scripts/requirements.txt into .venv)`);
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-spark-parquet-'));
  const output = path.join(folder, 'out');
  try {
    execFileSync(PYTHON, ['-c', WRITE, output, sql, JSON.stringify(settings)], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
    const parts = fs.readdirSync(output).filter((name) => name.startsWith('part-') && name.endsWith('.parquet'));
    if (parts.length !== 1) throw new Error(`Spark wrote ${parts.length} Parquet files for one partition: ${parts.join(', ')}`);
    return fs.readFileSync(path.join(output, parts[0]));
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The conformed and enriched layers on DuckDB: runs the same SQL files the Glue jobs run
 * (`glue-scripts/sql/<lob>/<layer>/<table>.sql`) over what the transform wrote.
 *
 * Convention, shared with the Glue entry point: conformed SQL reads the standardized tables by
 * dataset name; enriched SQL reads the conformed tables by table name. Sessions run in UTC.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { hiveTypeOf, parseColumnType } from '../config/column-types';
import type { DatasetConfig, LobConfig } from '../config/lob-schema';

export const SQL_ROOT = path.join(__dirname, '..', '..', 'glue-scripts', 'sql');
export const CURATED_LAYERS = ['conformed', 'enriched'] as const;
export type CuratedLayer = (typeof CURATED_LAYERS)[number];

/** The SQL files of a LoB's layer: table name -> file, in name order. */
export function sqlFiles(lob: string, layer: CuratedLayer): Array<{ table: string; file: string }> {
  const dir = path.join(SQL_ROOT, lob, layer);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((name) => name.endsWith('.sql')).sort()
    .map((name) => ({ table: name.replace(/\.sql$/, ''), file: path.join(dir, name) }));
}

/** DuckDB's spelling of a configured column type; timestamps are UTC instants, as the Parquet says. */
function duckdbType(type: string): string {
  const parsed = parseColumnType(type)!;
  switch (parsed.kind) {
    case 'string': return 'VARCHAR';
    case 'int': return 'INTEGER';
    case 'timestamp': return 'TIMESTAMPTZ';
    default: return hiveTypeOf(parsed).toUpperCase();
  }
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

function standardizedView(dataset: DatasetConfig, standardizedDir: string): string {
  const files = path.join(standardizedDir, dataset.name);
  const hasFiles = fs.existsSync(files) && fs.readdirSync(files, { recursive: true }).some((name) => String(name).endsWith('.parquet'));
  const columns = dataset.schema.map((column) => `"${column.name}" ${duckdbType(column.type)}`).join(', ');
  if (!hasFiles) return `CREATE TABLE standardized."${dataset.name}" (${columns})`;
  const hiveTypes = dataset.partitionColumns
    .map((name) => `${quote(name)}: ${duckdbType(dataset.schema.find((column) => column.name === name)!.type)}`).join(', ');
  const options = dataset.partitionColumns.length > 0 ? `, hive_partitioning = true, hive_types = {${hiveTypes}}` : '';
  const select = dataset.schema.map((column) => `"${column.name}"`).join(', ');
  return `CREATE VIEW standardized."${dataset.name}" AS SELECT ${select} FROM read_parquet(${quote(path.join(files, '**', '*.parquet'))}${options})`;
}

/** Runs conformed then enriched SQL; writes `<out>/<layer>/<table>/part-00000.parquet`; returns those keys. */
export async function runCuratedLayers(lob: LobConfig, out: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const written: string[] = [];
  try {
    const db = await instance.connect();
    await db.run("SET TimeZone = 'UTC'");
    await db.run('CREATE SCHEMA standardized; CREATE SCHEMA conformed; CREATE SCHEMA enriched');
    for (const dataset of lob.datasets) await db.run(standardizedView(dataset, path.join(out, 'standardized')));
    const sources: Record<CuratedLayer, string> = { conformed: 'standardized', enriched: 'conformed' };
    for (const layer of CURATED_LAYERS) {
      fs.rmSync(path.join(out, layer), { recursive: true, force: true });
      await db.run(`SET search_path = '${sources[layer]}'`);
      for (const { table, file } of sqlFiles(lob.name, layer)) {
        const key = `${layer}/${table}/part-00000.parquet`;
        const target = path.join(out, key);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const sql = fs.readFileSync(file, 'utf8').replace(/;\s*$/, '');
        await db.run(`COPY (${sql}) TO ${quote(target)} (FORMAT PARQUET, COMPRESSION SNAPPY)`);
        await db.run(`CREATE VIEW ${layer}."${table}" AS SELECT * FROM read_parquet(${quote(target)})`);
        written.push(key);
      }
    }
    return written;
  } finally {
    instance.closeSync();
  }
}

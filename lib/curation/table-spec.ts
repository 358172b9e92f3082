/**
 * What a curation job is told about its table: the JSON of its `--table_spec` argument, built at
 * synth from the LoB config. `glue-scripts/lakeworks_curation/table_spec.py` reads the same shape;
 * local mode and the Spark tests build it here too, so the job never sees a spec the stack would
 * not give it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { curatedSqlFile, sourceTables } from '../config/curated-sql';
import { type CuratedTable, curatedTables } from '../config/curated-tables';
import { parseOrderTerm } from '../config/curated-schema';
import type { LobConfig } from '../config/lob-schema';
import { curatedRules, datasetRules, ruleset } from './dq-ruleset';

export const TABLE_SPEC_VERSION = 1 as const;

export interface TableSpecColumn {
  readonly name: string;
  /** A configured column type: string, int, bigint, double, boolean, date, timestamp, decimal(p,s). */
  readonly type: string;
  readonly nullable: boolean;
}

interface TableSpecBase {
  readonly version: typeof TABLE_SPEC_VERSION;
  readonly table: string;
  /** The SQL file, relative to the repository: how errors name it. */
  readonly sqlFile: string;
  readonly columns: readonly TableSpecColumn[];
  readonly primaryKey: readonly string[];
  /** Iceberg partition transforms in Spark DDL, e.g. `months(date)`. */
  readonly partitionedBy: readonly string[];
  /** DQDL evaluated on the rows about to be written, before anything is. */
  readonly tableRuleset: string;
}

export interface ConformedTableSpec extends TableSpecBase {
  readonly layer: 'conformed';
  /** The standardized dataset read, by the name the SQL uses. */
  readonly source: string;
  /** DQDL evaluated on the standardized rows a run reads. */
  readonly sourceRuleset: string;
  /** Best copy first, every term as `<column> ASC|DESC NULLS FIRST|LAST`. */
  readonly precedence: readonly string[];
}

export interface RecomputeSpec {
  /** Column of this table -> column of the source table. */
  readonly slice: Readonly<Record<string, string>>;
  readonly window?: { readonly orderBy: string; readonly rows: number };
}

export interface EnrichedTableSpec extends TableSpecBase {
  readonly layer: 'enriched';
  /** The conformed tables its SQL reads, by the names it reads them. */
  readonly sources: readonly string[];
  /** Per conformed table read: the slice a change recomputes; "full" rebuilds every run. */
  readonly recompute: 'full' | Readonly<Record<string, RecomputeSpec>>;
}

export type TableSpec = ConformedTableSpec | EnrichedTableSpec;

export function tableSpec(lob: LobConfig, table: CuratedTable): TableSpec {
  const base = {
    version: TABLE_SPEC_VERSION,
    table: table.name,
    sqlFile: path.relative(path.join(__dirname, '..', '..'), curatedSqlFile(lob.name, table.layer, table.name)).split(path.sep).join('/'),
    columns: table.columns.map(({ name, type, nullable }) => ({ name, type, nullable })),
    primaryKey: table.primaryKey,
    partitionedBy: table.partitionedBy,
    tableRuleset: ruleset(curatedRules(table.columns, table.primaryKey)),
  };
  // An empty sourceRuleset means the dataset declares nothing a row could break.
  const config = table.config;
  if ('source' in config) {
    const dataset = lob.datasets.find((candidate) => candidate.name === config.source)!;
    return {
      ...base,
      layer: 'conformed',
      source: config.source,
      sourceRuleset: datasetRules(dataset).length > 0 ? ruleset(datasetRules(dataset)) : '',
      precedence: config.precedence.map((text) => {
        const term = parseOrderTerm(text)!;
        return `${term.column} ${term.direction} NULLS ${term.nulls}`;
      }),
    };
  }
  const sql = fs.readFileSync(curatedSqlFile(lob.name, 'enriched', table.name), 'utf8');
  return { ...base, layer: 'enriched', sources: sourceTables(sql, lob.curated.conformed.map((t) => t.name)), recompute: config.recompute };
}

/** Every curated table of a LoB with its spec, conformed first. */
export function tableSpecs(lob: LobConfig): Array<{ table: CuratedTable; spec: TableSpec }> {
  return curatedTables(lob).map((table) => ({ table, spec: tableSpec(lob, table) }));
}

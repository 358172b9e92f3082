/**
 * A LoB's curated tables as the rest of the app sees them: declared columns with their
 * classification resolved (inherited from same-named source columns unless declared), conformed
 * tables with their `ingested_at` lineage column, and the consistency rules between a LoB's
 * datasets, conformed and enriched tables that a single table's schema cannot express.
 */
import { type Classification, isLessSensitive, mostSensitive } from './classifications';
import { parseColumnType } from '../../contract/column-types';
import {
  type ConformedTableConfig, type CuratedColumnConfig, type CuratedConfig, type CuratedLayer, type EnrichedTableConfig,
  INGESTED_AT, INGESTED_AT_CLASSIFICATION, TRANSFORM_KINDS, parseOrderTerm, parsePartitionTransform,
} from './curated-schema';

/** The parts of a LoB config this module reads (a structural type, so lob-schema can call it while validating). */
export interface CuratedLob {
  readonly datasets: ReadonlyArray<{ readonly name: string; readonly schema: ReadonlyArray<{ readonly name: string; readonly type: string; readonly classification: Classification }> }>;
  readonly curated: CuratedConfig;
}

export interface ResolvedColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly classification: Classification;
  readonly description?: string;
}

export interface CuratedTable {
  readonly layer: CuratedLayer;
  readonly name: string;
  readonly description?: string;
  /** Every column of the Iceberg table, in order; conformed tables end with `ingested_at`. */
  readonly columns: readonly ResolvedColumn[];
  readonly primaryKey: readonly string[];
  readonly partitionedBy: readonly string[];
  readonly config: ConformedTableConfig | EnrichedTableConfig;
}

export interface ConfigIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

const INGESTED_AT_COLUMN: ResolvedColumn = {
  name: INGESTED_AT, type: 'timestamp', nullable: false, classification: INGESTED_AT_CLASSIFICATION,
  description: 'When the raw object this row came from arrived (its S3 event time)',
};

/** The conformed tables an enriched table reads: its recompute sources, or every conformed table for "full". */
export function enrichedSources(lob: CuratedLob, table: EnrichedTableConfig): string[] {
  return table.recompute === 'full' ? lob.curated.conformed.map((t) => t.name) : Object.keys(table.recompute);
}

/**
 * Columns with classifications resolved: a declared classification, or else the most sensitive
 * one of a same-named column in the table's sources (unresolvable columns come out as `pii`, and
 * curatedIssues reports them).
 */
function resolveConformed(lob: CuratedLob, table: ConformedTableConfig): ResolvedColumn[] {
  const source = lob.datasets.find((dataset) => dataset.name === table.source);
  return [...table.columns.map((column) => resolveColumn(column, source?.schema.filter((c) => c.name === column.name).map((c) => c.classification) ?? [])),
    INGESTED_AT_COLUMN];
}

function resolveEnriched(lob: CuratedLob, table: EnrichedTableConfig, conformed: ReadonlyMap<string, CuratedTable>): ResolvedColumn[] {
  const sources = enrichedSources(lob, table).map((name) => conformed.get(name)).filter((t): t is CuratedTable => t !== undefined);
  return table.columns.map((column) => resolveColumn(column, sources.flatMap((source) => source.columns.filter((c) => c.name === column.name).map((c) => c.classification))));
}

function resolveColumn(column: CuratedColumnConfig, inherited: readonly Classification[]): ResolvedColumn {
  const classification = column.classification ?? (inherited.length > 0 ? mostSensitive(inherited, 'pii') : 'pii');
  return { name: column.name, type: column.type, nullable: column.nullable, classification, description: column.description };
}

/** Every curated table of a LoB, conformed first, in config order. */
export function curatedTables(lob: CuratedLob): CuratedTable[] {
  const conformed = new Map<string, CuratedTable>();
  for (const table of lob.curated.conformed) {
    conformed.set(table.name, {
      layer: 'conformed', name: table.name, description: table.description, columns: resolveConformed(lob, table),
      primaryKey: table.primaryKey, partitionedBy: table.partitionedBy, config: table,
    });
  }
  const enriched = lob.curated.enriched.map((table): CuratedTable => ({
    layer: 'enriched', name: table.name, description: table.description, columns: resolveEnriched(lob, table, conformed),
    primaryKey: table.primaryKey, partitionedBy: table.partitionedBy, config: table,
  }));
  return [...conformed.values(), ...enriched];
}

export function curatedTable(lob: CuratedLob, layer: CuratedLayer, name: string): CuratedTable {
  const table = curatedTables(lob).find((candidate) => candidate.layer === layer && candidate.name === name);
  if (!table) throw new Error(`no ${layer} table ${JSON.stringify(name)} is declared`);
  return table;
}

/**
 * Lake Formation tags curated tables at database level (the jobs create them after deploy), so a
 * curated database is as sensitive as its most sensitive column; with no tables, `internal`.
 */
export function curatedLayerClassification(lob: CuratedLob, layer: CuratedLayer): Classification {
  return mostSensitive(curatedTables(lob).filter((table) => table.layer === layer).flatMap((table) => table.columns.map((c) => c.classification)), 'internal');
}

/** What a LoB's curated declarations get wrong, with the path of each problem under the LoB file. */
export function curatedIssues(lob: CuratedLob): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const problem = (path: (string | number)[], message: string) => issues.push({ path: ['curated', ...path], message });
  const datasets = new Map(lob.datasets.map((dataset) => [dataset.name, dataset]));
  const conformedNames = lob.curated.conformed.map((table) => table.name);
  const resolved = new Map(curatedTables(lob).map((table) => [`${table.layer}.${table.name}`, table]));

  const checkTable = (layer: CuratedLayer, index: number, table: ConformedTableConfig | EnrichedTableConfig, names: readonly string[]) => {
    const at = (...path: (string | number)[]) => [layer, index, ...path];
    if (names.indexOf(table.name) !== index) problem(at('name'), `duplicate ${layer} table name ${JSON.stringify(table.name)}`);
    const columns = new Map(table.columns.map((column) => [column.name, column]));
    const withLineage = layer === 'conformed' ? new Set([...columns.keys(), INGESTED_AT]) : new Set(columns.keys());
    table.columns.forEach((column, columnIndex) => {
      if (table.columns.findIndex((other) => other.name === column.name) !== columnIndex) problem(at('columns', columnIndex, 'name'), `duplicate column name ${JSON.stringify(column.name)}`);
      if (layer === 'conformed' && column.name === INGESTED_AT) {
        problem(at('columns', columnIndex, 'name'), `${INGESTED_AT} is added to every conformed table (when the row's raw object arrived); do not declare it`);
      }
    });
    table.primaryKey.forEach((name, keyIndex) => {
      const column = columns.get(name);
      if (!column) problem(at('primaryKey', keyIndex), `expected a column of this table; got ${JSON.stringify(name)}`);
      else if (column.nullable) problem(at('primaryKey', keyIndex), `primary key column ${JSON.stringify(name)} must be declared nullable: false`);
    });
    table.partitionedBy.forEach((text, partitionIndex) => {
      const partition = parsePartitionTransform(text)!;
      const type = partition.column === INGESTED_AT && layer === 'conformed' ? 'timestamp' : columns.get(partition.column)?.type;
      if (!type || !withLineage.has(partition.column)) {
        problem(at('partitionedBy', partitionIndex), `expected a column of this table; got ${JSON.stringify(partition.column)}`);
        return;
      }
      const kind = parseColumnType(type)?.kind;
      if (kind && !TRANSFORM_KINDS[partition.transform].has(kind)) {
        problem(at('partitionedBy', partitionIndex), `${partition.transform} does not apply to ${partition.column} (${type}); it takes ${[...TRANSFORM_KINDS[partition.transform]].join(', ')}`);
      }
      // A key's row then lives in one known partition, so a run's MERGE reads only the partitions
      // of the keys it writes; otherwise every run would read the whole table.
      if (!table.primaryKey.includes(partition.column)) {
        problem(at('partitionedBy', partitionIndex), `partition by primary key columns only (${table.primaryKey.join(', ')}), so each run reads only the partitions of the keys it writes; ${partition.column} is not one`);
      }
    });
    const columnsOfTable = resolved.get(`${layer}.${table.name}`)?.columns ?? [];
    // Inheritance is only checked when every source is known; an unknown source is reported instead.
    const sourcesKnown = layer === 'conformed'
      ? datasets.has((table as ConformedTableConfig).source)
      : enrichedSources(lob, table as EnrichedTableConfig).every((name) => resolved.has(`conformed.${name}`));
    table.columns.forEach((column, columnIndex) => {
      if (column.classification !== undefined || !sourcesKnown) return;
      const inheritedFrom = layer === 'conformed'
        ? datasets.get((table as ConformedTableConfig).source)?.schema.some((c) => c.name === column.name)
        : enrichedSources(lob, table as EnrichedTableConfig).some((name) => resolved.get(`conformed.${name}`)?.columns.some((c) => c.name === column.name));
      if (!inheritedFrom) {
        problem(at('columns', columnIndex, 'classification'), `no source column is named ${JSON.stringify(column.name)}, so its classification cannot be inherited; declare one of public, internal, confidential, pii`);
      }
    });
    return columnsOfTable;
  };

  lob.curated.conformed.forEach((table, index) => {
    checkTable('conformed', index, table, conformedNames);
    const source = datasets.get(table.source);
    if (!source) {
      problem(['conformed', index, 'source'], `expected one of this LoB's datasets (${[...datasets.keys()].join(', ')}); got ${JSON.stringify(table.source)}`);
    } else {
      table.columns.forEach((column, columnIndex) => {
        const inherited = source.schema.find((c) => c.name === column.name)?.classification;
        if (column.classification && inherited && isLessSensitive(column.classification, inherited)) {
          problem(['conformed', index, 'columns', columnIndex, 'classification'],
            `${table.source}.${column.name} is ${inherited}; declaring it ${column.classification} would show it to personas not cleared for ${inherited}`);
        }
      });
    }
    const known = new Set([...table.columns.map((c) => c.name), INGESTED_AT]);
    table.precedence.forEach((text, termIndex) => {
      const term = parseOrderTerm(text)!;
      if (!known.has(term.column)) problem(['conformed', index, 'precedence', termIndex], `expected a column of this table or ${INGESTED_AT}; got ${JSON.stringify(term.column)}`);
    });
  });

  const enrichedNames = lob.curated.enriched.map((table) => table.name);
  lob.curated.enriched.forEach((table, index) => {
    checkTable('enriched', index, table, enrichedNames);
    const columns = new Set(table.columns.map((c) => c.name));
    if (table.recompute !== 'full') {
      for (const [sourceName, recompute] of Object.entries(table.recompute)) {
        const source = resolved.get(`conformed.${sourceName}`);
        if (!source) {
          problem(['enriched', index, 'recompute', sourceName], `expected one of this LoB's conformed tables (${conformedNames.join(', ') || 'none declared'}); got ${JSON.stringify(sourceName)}`);
          continue;
        }
        const sourceColumns = new Set(source.columns.map((c) => c.name));
        for (const [target, from] of Object.entries(recompute.slice)) {
          if (!columns.has(target)) problem(['enriched', index, 'recompute', sourceName, 'slice', target], `expected a column of this table; got ${JSON.stringify(target)}`);
          if (!sourceColumns.has(from)) problem(['enriched', index, 'recompute', sourceName, 'slice', target], `expected a column of ${sourceName}; got ${JSON.stringify(from)}`);
        }
        const orderBy = recompute.window?.orderBy;
        if (orderBy !== undefined && !(columns.has(orderBy) && sourceColumns.has(orderBy))) {
          problem(['enriched', index, 'recompute', sourceName, 'window', 'orderBy'], `expected a column of both this table and ${sourceName}; got ${JSON.stringify(orderBy)}`);
        }
      }
    }
    for (const column of resolved.get(`enriched.${table.name}`)?.columns ?? []) {
      const declared = table.columns.find((c) => c.name === column.name);
      if (!declared?.classification) continue;
      const inherited = enrichedSources(lob, table).flatMap((name) => resolved.get(`conformed.${name}`)?.columns.filter((c) => c.name === column.name) ?? []);
      const most = inherited.length > 0 ? mostSensitive(inherited.map((c) => c.classification), 'pii') : undefined;
      if (most && isLessSensitive(declared.classification, most)) {
        problem(['enriched', index, 'columns', table.columns.indexOf(declared), 'classification'],
          `a source column ${column.name} is ${most}; declaring it ${declared.classification} would show it to personas not cleared for ${most}`);
      }
    }
  });
  return issues;
}

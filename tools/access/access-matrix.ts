/**
 * Who can read which column, worked out from the synthesized templates the way Lake Formation
 * decides it: the LF-tags attached to databases, tables and columns (a column's own tag wins over
 * its table's, a table's over its database's, key by key), the LF-tag expression grants (every
 * key of the expression must match, any of its values), and data cells filters.
 *
 * Tables come from the templates where CloudFormation declares them (standardized). Curated tables
 * are created by the curation jobs after deploy, so their columns come from their declarations in
 * config; their tags are their database's, from the templates. Raw tables are created by crawlers
 * and appear as `*`, with their database's tags.
 */
import { curatedTables } from '../../lib/config/curated-tables';
import type { LakeConfig } from '../../lib/config/load-config';
import { DATA_LAYERS, type DataLayer, glueDatabaseName, lobRoleName } from '../../lib/config/names';
import { type AssemblyStack, resourcesOf } from '../assembly/cloud-assembly';

export interface ColumnAccess {
  readonly name: string;
  /** The column's classification tag as Lake Formation resolves it. */
  readonly classification: string;
  /** The classification config declares for it (raw tables: pii, what they may hold). */
  readonly declared: string;
}

export interface TableAccess {
  readonly principal: string;
  /** The persona the principal's role belongs to, when it is one. */
  readonly persona?: string;
  readonly lob: string;
  readonly layer: DataLayer;
  readonly table: string;
  readonly columns: readonly ColumnAccess[];
  /** Logical ids of the grants that give it (in the LoB's governance stack). */
  readonly via: readonly string[];
  /** The row filter every read goes through, when access is through a data cells filter. */
  readonly rowFilter?: string;
}

export interface AccessMatrix {
  readonly environment: string;
  readonly access: readonly TableAccess[];
}

type Tags = Record<string, string>;

interface TableModel {
  readonly lob: string;
  readonly layer: DataLayer;
  readonly database: string;
  readonly name: string;
  readonly columns: readonly string[];
  /** Declared classification by column. */
  readonly declared: Readonly<Record<string, string>>;
}

const key = (...parts: string[]) => parts.join('\u0000');

/** A role's name from a principal as templates spell it: an ARN, its Fn::Join, or the role's Fn::GetAtt. */
function principalName(value: unknown, template: AssemblyStack['template']): string {
  const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })?.['Fn::GetAtt'];
  if (getAtt) return template.Resources?.[getAtt[0]]?.Properties?.RoleName ?? getAtt[0];
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })?.['Fn::Join'];
  const text = join ? join[1].map((part) => (typeof part === 'string' ? part : 'aws')).join(join[0]) : value;
  if (typeof text === 'string') return text.replace(/^arn:[^:]+:iam::\d+:role\//, '');
  return JSON.stringify(value);
}

export function accessMatrix(config: LakeConfig, environment: string, stacks: readonly AssemblyStack[]): AccessMatrix {
  const env = config.platform.environments.find((candidate) => candidate.name === environment);
  if (!env) throw new Error(`unknown environment ${JSON.stringify(environment)}; configured: ${config.platform.environments.map((e) => e.name).join(', ')}`);
  const names = { organisation: config.platform.organisation, environment };
  const stage = stacks.filter((stack) => stack.stage === environment);
  const layerOf = new Map<string, { lob: string; layer: DataLayer }>();
  for (const lob of config.lobs) for (const layer of DATA_LAYERS) layerOf.set(glueDatabaseName(names, lob.name, layer), { lob: lob.name, layer });

  const tables: TableModel[] = [];
  for (const stack of stage) {
    for (const [, table] of resourcesOf(stack, 'AWS::Glue::Table')) {
      const owner = layerOf.get(table.DatabaseName);
      if (!owner) continue;
      const input = table.TableInput;
      const dataset = config.lobs.find((lob) => lob.name === owner.lob)?.datasets.find((candidate) => candidate.name === input.Name);
      tables.push({
        ...owner, database: table.DatabaseName, name: input.Name, columns: [...input.StorageDescriptor.Columns, ...(input.PartitionKeys ?? [])].map((c: { Name: string }) => c.Name),
        declared: Object.fromEntries((dataset?.schema ?? []).map((column) => [column.name, column.classification])),
      });
    }
  }
  for (const lob of config.lobs) {
    for (const table of curatedTables(lob)) {
      tables.push({
        lob: lob.name, layer: table.layer, database: glueDatabaseName(names, lob.name, table.layer), name: table.name, columns: table.columns.map((c) => c.name),
        declared: Object.fromEntries(table.columns.map((column) => [column.name, column.classification])),
      });
    }
    tables.push({ lob: lob.name, layer: 'raw', database: glueDatabaseName(names, lob.name, 'raw'), name: '*', columns: ['*'], declared: { '*': 'pii' } });
  }

  const databaseTags = new Map<string, Tags>();
  const tableTags = new Map<string, Tags>();
  const columnTags = new Map<string, Tags>();
  const grants: Array<{ id: string; principal: string; permission: string; resource: any }> = [];
  const filters = new Map<string, any>();
  for (const stack of stage) {
    for (const [, association] of resourcesOf(stack, 'AWS::LakeFormation::TagAssociation')) {
      const tags: Tags = Object.fromEntries(association.LFTags.map((tag: { TagKey: string; TagValues: string[] }) => [tag.TagKey, tag.TagValues[0]]));
      const { Database: database, Table: table, TableWithColumns: withColumns } = association.Resource;
      const merge = (map: Map<string, Tags>, at: string) => map.set(at, { ...map.get(at), ...tags });
      if (database) merge(databaseTags, database.Name);
      if (table) merge(tableTags, key(table.DatabaseName, table.Name));
      if (withColumns) for (const column of withColumns.ColumnNames) merge(columnTags, key(withColumns.DatabaseName, withColumns.Name, column));
    }
    for (const [id, grant] of resourcesOf(stack, 'AWS::LakeFormation::PrincipalPermissions')) {
      for (const permission of grant.Permissions) grants.push({ id, principal: principalName(grant.Principal.DataLakePrincipalIdentifier, stack.template), permission, resource: grant.Resource });
    }
    for (const [, filter] of resourcesOf(stack, 'AWS::LakeFormation::DataCellsFilter')) filters.set(key(filter.DatabaseName, filter.TableName, filter.Name), filter);
  }

  const personaOf = new Map<string, string>();
  for (const lob of config.lobs) for (const persona of lob.personas) personaOf.set(lobRoleName(names, lob.name, persona.name), persona.name);

  const effective = (table: TableModel, column: string): Tags => ({
    ...databaseTags.get(table.database), ...tableTags.get(key(table.database, table.name)), ...columnTags.get(key(table.database, table.name, column)),
  });
  const matches = (expression: Array<{ TagKey: string; TagValues: string[] }>, tags: Tags) =>
    expression.every((term) => tags[term.TagKey] !== undefined && term.TagValues.includes(tags[term.TagKey]));

  const access: TableAccess[] = [];
  const principals = [...new Set(grants.map((grant) => grant.principal))].sort();
  for (const principal of principals) {
    const selects = grants.filter((grant) => grant.principal === principal && grant.permission === 'SELECT');
    for (const table of tables) {
      const visible: ColumnAccess[] = [];
      const via = new Set<string>();
      for (const column of table.columns) {
        const tags = effective(table, column);
        const granting = selects.filter((grant) => grant.resource.LFTagPolicy?.ResourceType === 'TABLE' && matches(grant.resource.LFTagPolicy.Expression, tags));
        if (granting.length > 0) {
          visible.push({ name: column, classification: tags.classification ?? 'untagged', declared: table.declared[column] ?? 'undeclared' });
          for (const grant of granting) via.add(grant.id);
        }
      }
      if (visible.length > 0) access.push({ principal, persona: personaOf.get(principal), lob: table.lob, layer: table.layer, table: table.name, columns: visible, via: [...via].sort() });
      for (const grant of selects.filter((candidate) => candidate.resource.DataCellsFilter)) {
        const reference = grant.resource.DataCellsFilter;
        if (reference.DatabaseName !== table.database || reference.TableName !== table.name) continue;
        const filter = filters.get(key(reference.DatabaseName, reference.TableName, reference.Name));
        if (!filter) continue;
        const excluded: string[] = filter.ColumnWildcard?.ExcludedColumnNames ?? [];
        const listed: string[] | undefined = filter.ColumnNames;
        const columns = table.columns.filter((column) => (listed ? listed.includes(column) : !excluded.includes(column)))
          .map((column) => ({ name: column, classification: effective(table, column).classification ?? 'untagged', declared: table.declared[column] ?? 'undeclared' }));
        access.push({
          principal, persona: personaOf.get(principal), lob: table.lob, layer: table.layer, table: table.name, columns, via: [grant.id],
          rowFilter: filter.RowFilter?.FilterExpression ?? 'all rows',
        });
      }
    }
  }
  return { environment, access };
}

/** Breaches of the lake's access rules, as sentences; none for a safe matrix. */
export function accessViolations(config: LakeConfig, matrix: AccessMatrix): string[] {
  const problems: string[] = [];
  for (const entry of matrix.access) {
    const lob = config.lobs.find((candidate) => candidate.name === entry.lob)!;
    const persona = lob.personas.find((candidate) => candidate.name === entry.persona);
    if (!persona) continue;
    for (const column of entry.columns) {
      // Cleared for the tag Lake Formation enforces, and for what config says the column holds.
      for (const classification of new Set([column.classification, column.declared])) {
        if (!(persona.classifications as string[]).includes(classification)) {
          problems.push(`${entry.persona} (${entry.lob}) can read ${entry.layer}.${entry.table}.${column.name}, ${classification === column.declared ? 'declared' : 'tagged'} ${classification}, which it is not cleared for`);
        }
      }
    }
    if (!persona.layers.includes(entry.layer)) problems.push(`${entry.persona} (${entry.lob}) can read the ${entry.layer} layer (${entry.table}), which it is not given`);
    const filtered = persona.rowFilters.find((filter) => filter.dataset === entry.table && entry.layer === 'standardized');
    if (filtered && entry.rowFilter !== filtered.expression) {
      problems.push(`${entry.persona} (${entry.lob}) reaches standardized.${entry.table} ${entry.rowFilter ? `through the filter ${JSON.stringify(entry.rowFilter)}` : 'without its row filter'}; expected only through ${JSON.stringify(filtered.expression)}`);
    }
  }
  return problems;
}

/** One line per principal and table, for people. */
export function formatMatrix(matrix: AccessMatrix): string {
  const lines = [`Who can read what in ${matrix.environment} (from the synthesized templates)`];
  let last = '';
  for (const entry of [...matrix.access].sort((a, b) => (a.principal + a.layer + a.table).localeCompare(b.principal + b.layer + b.table))) {
    const who = `${entry.principal}${entry.persona ? ` (persona ${entry.persona})` : ''}`;
    if (who !== last) lines.push(`\n${who}`);
    last = who;
    const columns = entry.columns.map((column) => `${column.name}${column.classification === 'untagged' ? '' : `:${column.classification}`}`).join(', ');
    lines.push(`  ${entry.layer}.${entry.table}${entry.rowFilter ? ` [rows: ${entry.rowFilter}]` : ''}: ${columns}  (via ${entry.via.join(', ')})`);
  }
  return lines.join('\n');
}

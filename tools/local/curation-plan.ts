/**
 * What local mode and the Spark tests hand the Glue entry points for one LoB: the standardized
 * tables as CatalogStack declares them, and each curated job's arguments exactly as CurationStack
 * gives them to Glue, with the buckets of the first environment standing as local folders.
 *
 *   npx tsx tools/local/curation-plan.ts --lob finance --root out/finance [--config config]
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { standardizedTableInput } from '../../lib/catalog/standardized-table';
import { loadLakeConfig } from '../../lib/config/load-config';
import { curatedSqlFile } from '../../lib/config/curated-sql';
import type { LobConfig } from '../../lib/config/lob-schema';
import { type DataLayer, type NameScope, STORAGE_LAYERS, type StorageLayer, dataBucketName, glueDatabaseName } from '../../lib/config/names';
import { curationJobArguments, maintenanceJobArguments } from '../../lib/curation/job-arguments';
import { tableSpecs } from '../../lib/curation/table-spec';

export interface CurationPlan {
  readonly lob: string;
  readonly databases: Record<DataLayer, string>;
  /** Bucket name -> the local folder standing in for it. */
  readonly buckets: Record<string, string>;
  readonly standardizedTables: ReadonlyArray<{ database: string; tableInput: unknown }>;
  /** Conformed jobs first, then enriched: the order the state machine runs them. */
  readonly jobs: ReadonlyArray<{ layer: string; table: string; arguments: Record<string, string> }>;
  readonly maintenance: Record<string, string>;
}

/** CloudFormation spells TableInput keys in PascalCase; parameter maps keep their own keys. */
function cloudFormationKeys(value: unknown, verbatim = false): unknown {
  if (Array.isArray(value)) return value.map((item) => cloudFormationKeys(item));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([key, v]) => [
    verbatim ? key : key.charAt(0).toUpperCase() + key.slice(1),
    cloudFormationKeys(v, !verbatim && key === 'parameters'),
  ]));
}

export function curationPlan(lob: LobConfig, names: NameScope, root: string): CurationPlan {
  const folder = (layer: StorageLayer) => path.resolve(root, layer);
  const layerRoot = (layer: DataLayer) => `file://${folder(layer)}`;
  const databases = Object.fromEntries((['raw', 'standardized', 'conformed', 'enriched'] as const).map((layer) => [layer, glueDatabaseName(names, lob.name, layer)])) as Record<DataLayer, string>;
  const specs = tableSpecs(lob);
  return {
    lob: lob.name,
    databases,
    buckets: Object.fromEntries(STORAGE_LAYERS.map((layer) => [dataBucketName(names, lob.name, layer), folder(layer)])),
    standardizedTables: lob.datasets.map((dataset) => ({
      database: databases.standardized,
      tableInput: cloudFormationKeys(standardizedTableInput(dataset, dataBucketName(names, lob.name, 'standardized'))),
    })),
    jobs: specs.map(({ spec }) => ({
      layer: spec.layer,
      table: spec.table,
      arguments: curationJobArguments(names, lob.name, spec, curatedSqlFile(lob.name, spec.layer, spec.table), layerRoot),
    })),
    maintenance: maintenanceJobArguments(names, lob.name, specs.map(({ spec }) => ({ layer: spec.layer, name: spec.table })), lob.curation.maintenance ?? { snapshotRetentionDays: 7, orphanFileAgeDays: 3 }),
  };
}

if (require.main === module) {
  const { values } = parseArgs({ options: { lob: { type: 'string' }, root: { type: 'string' }, config: { type: 'string' } }, strict: true });
  if (!values.lob || !values.root) {
    process.stderr.write('usage: npx tsx tools/local/curation-plan.ts --lob <lob> --root <dir> [--config <dir>]\n');
    process.exit(2);
  }
  const config = loadLakeConfig(values.config ?? process.env.LAKEWORKS_CONFIG_DIR ?? 'config');
  const lob = config.lobs.find((candidate) => candidate.name === values.lob);
  if (!lob) {
    process.stderr.write(`unknown line of business ${JSON.stringify(values.lob)}\n`);
    process.exit(2);
  }
  const environment = config.platform.environments[0];
  const names = { organisation: config.platform.organisation, environment: environment.name, account: environment.account, region: environment.region };
  process.stdout.write(`${JSON.stringify(curationPlan(lob, names, values.root))}\n`);
}

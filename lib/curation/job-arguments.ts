/**
 * The arguments of a curated table's job, as `glue-scripts/jobs/curate_table.py` reads them. The
 * curation stack passes them to Glue with `s3://` locations; local mode and the Spark tests pass
 * the very same arguments with local folders, so a new argument cannot reach one and not the other.
 */
import type { DataLayer, NameScope } from '../config/names';
import { glueDatabaseName } from '../config/names';
import type { TableSpec } from './table-spec';

/** What a curation run may be asked to do: the schedule's incremental run, or a rebuild from every source. */
export const CURATION_MODES = ['incremental', 'backfill'] as const;
export type CurationMode = (typeof CURATION_MODES)[number];

/** The root of a layer's bucket: `s3://<bucket>` in AWS, `file:///<folder>` locally. */
export type LayerRoot = (layer: DataLayer) => string;

export function curationJobArguments(names: Pick<NameScope, 'organisation' | 'environment'>, lob: string, spec: TableSpec, sqlPath: string, root: LayerRoot): Record<string, string> {
  const source: DataLayer = spec.layer === 'conformed' ? 'standardized' : 'conformed';
  return {
    '--table_spec': JSON.stringify(spec),
    '--sql_path': sqlPath,
    '--source_database': glueDatabaseName(names, lob, source),
    '--target_database': glueDatabaseName(names, lob, spec.layer),
    '--target_location': `${root(spec.layer)}/${spec.table}/`,
    ...(spec.layer === 'conformed' ? { '--standardized_location': `${root('standardized')}/` } : {}),
    '--mode': 'incremental' satisfies CurationMode,
  };
}

/** The arguments of the maintenance job (`glue-scripts/jobs/maintain_tables.py`). */
export function maintenanceJobArguments(names: Pick<NameScope, 'organisation' | 'environment'>, lob: string, tables: ReadonlyArray<{ layer: DataLayer; name: string }>,
  settings: { snapshotRetentionDays: number; orphanFileAgeDays: number }): Record<string, string> {
  return {
    '--tables': JSON.stringify(tables.map((table) => ({ database: glueDatabaseName(names, lob, table.layer), table: table.name }))),
    '--snapshot_retention_days': String(settings.snapshotRetentionDays),
    '--orphan_file_age_days': String(settings.orphanFileAgeDays),
  };
}

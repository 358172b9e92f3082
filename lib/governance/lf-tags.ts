/**
 * The Lake Formation tags (LF-tags) every grant is expressed in.
 *
 * LF-tags are account-level, so their definitions live in PlatformStack; LoB stacks only attach
 * them and grant on expressions over them. A new dataset is then covered by its tags alone.
 *
 * - `environment`, `lob`, `layer`: on each database, inherited by its tables and columns. The
 *   environment tag keeps a dev persona out of prod data when both share an account.
 * - `classification`: per column from config; each database carries a default for tables whose
 *   columns are not declared (raw is `pii` because it holds records as received).
 * - `row_access`: `filtered` on tables that some persona may only see through a row filter, so
 *   that persona's tag grant can exclude them and its data cells filter grant applies alone.
 */
import { CLASSIFICATIONS, type Classification, type LobConfig } from '../config/lob-schema';
import { DATA_LAYERS, type DataLayer } from '../config/names';

export const LF_TAG = {
  environment: 'environment',
  lob: 'lob',
  layer: 'layer',
  classification: 'classification',
  rowAccess: 'row_access',
} as const;

export const ROW_ACCESS = { unrestricted: 'unrestricted', filtered: 'filtered' } as const;

/**
 * Classification of tables without declared columns, per layer: raw holds records as received, so
 * `pii`; conformed tables are built by jobs and may carry any column of their sources, so they
 * take the most sensitive classification in the LoB; standardized (whose columns are tagged one by
 * one) and enriched (aggregates, kept free of personal data by review) default to `internal`.
 */
export function defaultClassification(layer: DataLayer, lob: LobConfig): Classification {
  switch (layer) {
    case 'raw': return 'pii';
    case 'conformed': {
      const used = new Set(lob.datasets.flatMap((dataset) => dataset.schema.map((column) => column.classification)));
      return [...CLASSIFICATIONS].reverse().find((classification) => used.has(classification)) ?? 'internal';
    }
    default: return 'internal';
  }
}

/** Every LF-tag key and its allowed values, for an account shared by these environments and LoBs. */
export function lfTagDefinitions(environments: readonly string[], lobs: readonly string[]): Record<string, string[]> {
  return {
    [LF_TAG.environment]: [...environments],
    [LF_TAG.lob]: [...lobs],
    [LF_TAG.layer]: [...DATA_LAYERS],
    [LF_TAG.classification]: [...CLASSIFICATIONS],
    [LF_TAG.rowAccess]: [ROW_ACCESS.unrestricted, ROW_ACCESS.filtered],
  };
}

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
import { CLASSIFICATIONS, type Classification } from '../config/lob-schema';
import { DATA_LAYERS, type DataLayer } from '../config/names';

export const LF_TAG = {
  environment: 'environment',
  lob: 'lob',
  layer: 'layer',
  classification: 'classification',
  rowAccess: 'row_access',
} as const;

export const ROW_ACCESS = { unrestricted: 'unrestricted', filtered: 'filtered' } as const;

/** Classification of tables without declared columns, per layer. */
export const DEFAULT_CLASSIFICATION: Readonly<Record<DataLayer, Classification>> = {
  raw: 'pii',
  standardized: 'internal',
  conformed: 'internal',
  enriched: 'internal',
};

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

/**
 * The Lake Formation tags (LF-tags) every grant is expressed in.
 *
 * LF-tags are account-level, so their definitions live in PlatformStack; LoB stacks only attach
 * them and grant on expressions over them. A new dataset is then covered by its tags alone.
 *
 * - `environment`, `lob`, `layer`: on each database, inherited by its tables and columns. The
 *   environment tag keeps a dev persona out of prod data when both share an account.
 * - `classification`: per column from config; each database carries a default for what has no
 *   tag of its own (see defaultClassification).
 * - `row_access`: `filtered` on tables that some persona may only see through a row filter, so
 *   that persona's tag grant can exclude them and its data cells filter grant applies alone.
 */
import { CLASSIFICATIONS, type Classification, type LobConfig } from '../config/lob-schema';
import { curatedLayerClassification } from '../config/curated-tables';
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
 * Classification of a database, which its tables and columns inherit unless tagged themselves:
 * raw holds records as received, so `pii`; standardized columns are each tagged from config, so its
 * default only covers a column left without a tag (one a re-tag is moving), and is `pii` so that
 * such a column is hidden rather than shown; curated tables are created by the jobs after deploy,
 * so their database carries the most sensitive classification among the declared curated columns
 * of that layer (see curatedLayerClassification).
 */
export function defaultClassification(layer: DataLayer, lob: LobConfig): Classification {
  switch (layer) {
    case 'raw': case 'standardized': return 'pii';
    default: return curatedLayerClassification(lob, layer);
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

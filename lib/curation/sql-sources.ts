/**
 * Which tables a curated SQL file reads: the names, among those of its source layer, that appear
 * in it after FROM or JOIN. Conformed SQL reads standardized datasets, enriched SQL reads conformed
 * tables (see glue-scripts/README.md).
 */
export function sourceTables(sql: string, candidates: readonly string[]): string[] {
  const withoutComments = sql.replace(/--[^\n]*/g, '');
  return candidates.filter((name) => new RegExp(`\\b(?:FROM|JOIN)\\s+${name}\\b`, 'i').test(withoutComments));
}

/**
 * What a dataset's manifests say beyond the row counts local mode reads from the files
 * themselves: decimal values rounded (decimalRounding: round) and schema drift (columns a file's
 * header added to or lacked from the schema), summed over the objects transformed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StandardizedManifest } from '../../contract/standardized-layout';
import { filesUnder } from './dataset-inputs';

/** Only what happened: no key for nothing rounded or no drift, so a plain run's summary stays plain. */
export interface ManifestSummary {
  readonly rounded?: number;
  /** Present when some file's header differed from the schema: the columns, over every file. */
  readonly drift?: { readonly extraColumns: readonly string[]; readonly missingColumns: readonly string[] };
}

/** Sums the manifests under `<standardized>/manifests/<dataset>/`. */
export function manifestSummary(standardized: string, dataset: string): ManifestSummary {
  const folder = path.join(standardized, 'manifests', dataset);
  const manifests = fs.existsSync(folder) ? filesUnder(folder).filter((file) => file.endsWith('.json')) : [];
  let rounded = 0;
  const extra = new Set<string>();
  const missing = new Set<string>();
  for (const file of manifests) {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as StandardizedManifest;
    rounded += manifest.records.rounded ?? 0;
    manifest.drift?.extraColumns.forEach((name) => extra.add(name));
    manifest.drift?.missingColumns.forEach((name) => missing.add(name));
  }
  const drift = extra.size + missing.size > 0 ? { extraColumns: [...extra].sort(), missingColumns: [...missing].sort() } : undefined;
  return { ...(rounded > 0 ? { rounded } : {}), ...(drift ? { drift } : {}) };
}

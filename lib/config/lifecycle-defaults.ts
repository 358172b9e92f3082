/**
 * Lifecycle each storage layer gets when its LoB config says nothing, merged field by field with
 * what the LoB does say. docs/configuration.md, "Storage lifecycle", prints this table.
 */
import type { LifecycleConfig } from './lob-schema';
import type { StorageLayer } from './names';

/** Multipart uploads that never completed still cost storage; a week is ample for any retry. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

export const DEFAULT_LIFECYCLE: Readonly<Record<StorageLayer, LifecycleConfig>> = {
  // Intelligent-Tiering from day 0 moves cold objects to cheaper tiers with no retrieval fee and no
  // risk of making them unreadable to Athena; archive classes are opt-in, raw only.
  raw: { transitions: [{ storageClass: 'INTELLIGENT_TIERING', afterDays: 0 }], expireNoncurrentAfterDays: 30 },
  standardized: { transitions: [{ storageClass: 'INTELLIGENT_TIERING', afterDays: 0 }], expireNoncurrentAfterDays: 30 },
  conformed: { transitions: [{ storageClass: 'INTELLIGENT_TIERING', afterDays: 0 }], expireNoncurrentAfterDays: 30 },
  enriched: { transitions: [{ storageClass: 'INTELLIGENT_TIERING', afterDays: 0 }], expireNoncurrentAfterDays: 30 },
  // Query results are re-creatable by re-running the query: keep a month.
  results: { transitions: [], expireAfterDays: 30, expireNoncurrentAfterDays: 1 },
};

export function resolveLifecycle(layer: StorageLayer, configured: LifecycleConfig | undefined): LifecycleConfig {
  const defaults = DEFAULT_LIFECYCLE[layer];
  return {
    transitions: configured?.transitions ?? defaults.transitions,
    expireNoncurrentAfterDays: configured?.expireNoncurrentAfterDays ?? defaults.expireNoncurrentAfterDays,
    expireAfterDays: configured?.expireAfterDays ?? defaults.expireAfterDays,
  };
}

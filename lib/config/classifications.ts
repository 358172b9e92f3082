/**
 * Data classifications, least to most sensitive. A column's classification becomes its Lake
 * Formation `classification` tag; a persona sees only the classifications it is cleared for.
 */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'pii'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** The more sensitive of the given classifications; `fallback` when there are none. */
export function mostSensitive(classifications: Iterable<Classification>, fallback: Classification): Classification {
  let rank = -1;
  for (const classification of classifications) rank = Math.max(rank, CLASSIFICATIONS.indexOf(classification));
  return rank < 0 ? fallback : CLASSIFICATIONS[rank];
}

export function isLessSensitive(a: Classification, b: Classification): boolean {
  return CLASSIFICATIONS.indexOf(a) < CLASSIFICATIONS.indexOf(b);
}

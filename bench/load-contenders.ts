/**
 * Loads the contenders from the bundle bench/bundle.ts wrote. Its own file so that the RSS child
 * process, which only loads the bundle, does not load esbuild too and count it in its peak.
 */
export type Contenders = typeof import('./contenders');

export function loadContenders(bundle: string): Contenders {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(bundle);
}

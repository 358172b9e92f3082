/**
 * Bundles bench/contenders.ts with esbuild as Lambda's code is bundled (same minification,
 * source maps, target and format), so the benchmark measures the code Lambda runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { LAMBDA_BUNDLING } from '../lib/constructs/lambda-bundling';

/**
 * Writes the bundle to a fresh directory and returns its path. The directory is under
 * node_modules/.cache so that the bundle resolves the external baseline library as installed.
 */
export function bundleContenders(): string {
  const cache = path.join(__dirname, '..', 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const directory = fs.mkdtempSync(path.join(cache, 'lakeworks-bench-'));
  const outfile = path.join(directory, 'contenders.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'contenders.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs', // NodejsFunction's OutputFormat.CJS
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    target: LAMBDA_BUNDLING.target,
    // The baseline library runs as installed; only Lakeworks' own code is bundled.
    external: ['parquetjs-lite'],
    logLevel: 'error',
  });
  return outfile;
}

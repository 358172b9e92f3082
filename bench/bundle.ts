/**
 * Bundles the benchmark's child processes (throughput-child.ts, rss-child.ts, and with them the
 * contenders) with esbuild as Lambda's code is bundled (same minification, source maps, target
 * and format), so the benchmark measures the code Lambda runs, in a plain Node process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { LAMBDA_BUNDLING } from '../lib/constructs/lambda-bundling';

export interface BenchBundle {
  readonly directory: string;
  /** Node scripts: throughput (no arguments) and rss (argument: rows). */
  readonly throughput: string;
  readonly rss: string;
}

/**
 * Writes the bundles to a fresh directory and returns their paths. The directory is under
 * node_modules/.cache so that the bundles resolve the external baseline library as installed.
 */
export function bundleBenchmark(): BenchBundle {
  const directory = bundleScripts({ throughput: path.join(__dirname, 'throughput-child.ts'), rss: path.join(__dirname, 'rss-child.ts') });
  return { directory, throughput: path.join(directory, 'throughput.js'), rss: path.join(directory, 'rss.js') };
}

/** Bundles each entry (name -> source file) to `<directory>/<name>.js` as Lambda's code is bundled; returns the directory. */
export function bundleScripts(entryPoints: Record<string, string>): string {
  const cache = path.join(__dirname, '..', 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const directory = fs.mkdtempSync(path.join(cache, 'lakeworks-bench-'));
  buildSync({
    entryPoints,
    outdir: directory,
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
  return directory;
}

/**
 * Dataset configuration reaches the Lambdas inside their code: synth bundles it with esbuild's
 * `define` as base64 JSON (no quoting pitfalls, no 4 KB environment limit). Local mode and the
 * tests set the same environment variables at run time.
 */
export function decodeBundledJson<T>(name: string, value: string | undefined): T {
  if (!value) throw new Error(`${name} must be set`);
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as T;
}

export function encodeBundledJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

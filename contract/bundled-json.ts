/**
 * Values too large or too structured for a plain environment variable (a LoB's datasets) travel
 * as base64 JSON: synth bundles them into a Lambda's code with esbuild's `define`; local mode and
 * the tests set the same variables at run time (see lambda-environment.ts). Decoding and checking
 * is `readBundledJson` in lambda-environment.ts.
 */
export function encodeBundledJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

export function decodeBundledJson(value: string): unknown {
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
}

/**
 * How every Lakeworks Lambda's code is bundled (esbuild, through NodejsFunction), in one place:
 * the transform benchmark bundles the code it measures with the same options, so its figures are
 * those of the code Lambda runs rather than of the TypeScript sources run file by file.
 */
export const LAMBDA_BUNDLING = {
  minify: true,
  sourceMap: true,
  /** The Lambda runtime's Node.js version (see lakeworks-function.ts). */
  target: 'node24',
} as const;

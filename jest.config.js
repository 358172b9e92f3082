/**
 * Jest runs the TypeScript sources through ts-jest in isolatedModules mode (transpile only, one
 * file at a time): fast, and type errors are caught by `tsc` which `npm test` runs first.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    // hyparquet is published as ES modules only (test/helpers/esm-transform.cjs).
    '/node_modules/hyparquet/.+\\.js$': '<rootDir>/test/helpers/esm-transform.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!hyparquet/)'],
  reporters: ['default', '<rootDir>/test/helpers/summary-reporter.js'],
  snapshotSerializers: ['<rootDir>/test/helpers/asset-hash-serializer.ts'],
  // Synthesizing the app with five rule packs takes seconds, not milliseconds.
  testTimeout: 120000,
};

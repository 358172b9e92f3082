/**
 * The directions of the code layout (DESIGN.md, "Code layout (the seams)"; the rules are in
 * test/helpers/import-graph.ts): every .ts file's imports, read with the TypeScript compiler API
 * and resolved relative to the file, checked against them. A failure lists each wrong import as
 * `file -> import  (rule)`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type PackageManifest, boundaryViolations, formatViolations, importsOf, repositorySources } from '../helpers/import-graph';

const ROOT = path.join(__dirname, '..', '..');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageManifest;

describe('import boundaries', () => {
  const sources = repositorySources(ROOT);

  test('sees every source folder', () => {
    for (const folder of ['bin', 'contract', 'lib', 'lambda', 'tools', 'scripts', 'bench', 'test']) {
      expect([...sources.keys()].some((file) => file.startsWith(`${folder}/`))).toBe(true);
    }
    expect(sources.has('lambda/transform/handler.ts')).toBe(true);
  });

  test('no file imports against the directions', () => {
    expect(formatViolations(boundaryViolations(sources, MANIFEST))).toBe('');
  });
});

describe('the rules, on an import graph built to break them', () => {
  const manifest: PackageManifest = { dependencies: { 'aws-cdk-lib': '2', zod: '4' }, devDependencies: { 'fast-check': '4', s3rver: '3', '@types/aws-lambda': '8' } };
  const files = new Map(Object.entries({
    'lambda/transform/handler.ts': [
      "import type { DatasetConfig } from '../../lib/config/lob-schema';",
      "import type { Context } from 'aws-lambda';",
      "import { objectCreatedEvent } from '../../contract/object-created-event';",
      "import { datasetInputs } from '../../tools/local/dataset-inputs';",
      "import S3rver from 's3rver';",
    ].join('\n'),
    'contract/dataset.ts': [
      "import * as fs from 'node:fs';",
      "import { z } from 'zod';",
      "import fc from 'fast-check';",
      "export { IDENTIFIER_PATTERN } from '../lib/config/names';",
      "import { columnTypes } from './column-types';",
    ].join('\n'),
    'lib/stacks/transform-stack.ts': [
      "import { Stack } from 'aws-cdk-lib';",
      "import { TRANSFORMED_PREFIXES } from '../../contract/raw-layout';",
      "import { encodeBundledJson } from '../../lambda/transform/bundled-config';",
      "const S3rver = require('s3rver');",
      "type Local = typeof import('../../tools/local/run-local');",
      "void import('../../test/helpers/sample-app');",
      "import { bundle } from '../../bench/bundle';",
      "import { main } from '../../scripts/local';",
      "import x = require('left-pad');",
    ].join('\n'),
    'lib/config/lob-schema.ts': [
      "import { INTEGER_ENCODINGS } from '../../lambda/parquet/integer-encoding';",
      "import { alertWhen } from '../constructs/alert-alarm';",
      "import { IDENTIFIER_PATTERN } from './names';",
    ].join('\n'),
    'tools/local/run-local.ts': "import { handler } from '../../lambda/transform/handler';\nimport S3rver from 's3rver';",
  }));

  test('each wrong import is reported as file -> import, with the rule it breaks', () => {
    expect(formatViolations(boundaryViolations(files, manifest)).split('\n')).toEqual([
      'contract/dataset.ts -> fast-check  (contract/ imports only itself, node builtins and production dependencies; this is development package fast-check)',
      'contract/dataset.ts -> ../lib/config/names  (contract/ imports only itself, node builtins and production dependencies; this is lib/)',
      'lambda/transform/handler.ts -> ../../lib/config/lob-schema  (lambda/ imports only itself, contract/ and production dependencies (devDependencies for types only); this is lib/)',
      'lambda/transform/handler.ts -> ../../tools/local/dataset-inputs  (lambda/ imports only itself, contract/ and production dependencies (devDependencies for types only); this is tools/)',
      'lambda/transform/handler.ts -> s3rver  (lambda/ imports only itself, contract/ and production dependencies (devDependencies for types only); this is development package s3rver)',
      'lib/config/lob-schema.ts -> ../../lambda/parquet/integer-encoding  (lib/ imports only itself, contract/, node builtins and production dependencies; this is lambda/)',
      'lib/config/lob-schema.ts -> ../../lambda/parquet/integer-encoding  (lib/config/ imports only itself and contract/; this is lambda/)',
      'lib/config/lob-schema.ts -> ../constructs/alert-alarm  (lib/config/ imports only itself and contract/; this is lib/)',
      'lib/stacks/transform-stack.ts -> ../../lambda/transform/bundled-config  (lib/ imports only itself, contract/, node builtins and production dependencies; this is lambda/)',
      'lib/stacks/transform-stack.ts -> s3rver  (lib/ imports only itself, contract/, node builtins and production dependencies; this is development package s3rver)',
      'lib/stacks/transform-stack.ts -> ../../tools/local/run-local  (lib/ imports only itself, contract/, node builtins and production dependencies; this is tools/)',
      'lib/stacks/transform-stack.ts -> ../../test/helpers/sample-app  (lib/ imports only itself, contract/, node builtins and production dependencies; this is test/)',
      'lib/stacks/transform-stack.ts -> ../../bench/bundle  (lib/ imports only itself, contract/, node builtins and production dependencies; this is bench/)',
      'lib/stacks/transform-stack.ts -> ../../scripts/local  (lib/ imports only itself, contract/, node builtins and production dependencies; this is scripts/)',
      'lib/stacks/transform-stack.ts -> left-pad  (lib/ imports only itself, contract/, node builtins and production dependencies; this is undeclared package left-pad)',
    ]);
  });

  test('imports are read from the syntax tree: every form, type-only marked, strings and comments ignored', () => {
    const text = [
      "import a from 'a';",
      "import type { B } from 'b';",
      "import { type C } from 'c';",
      "import { type D, e } from 'd';",
      "export { f } from './f';",
      "export type { G } from './g';",
      "import h = require('h');",
      "const i = require('i');",
      "const j = import('j');",
      "type K = typeof import('k');",
      "const l = require.resolve('l');",
      "// import z from 'in-a-comment';",
      "const text = \"import y from 'in-a-string'\";",
    ].join('\n');
    expect(importsOf('x.ts', text)).toEqual([
      { specifier: 'a', typeOnly: false },
      { specifier: 'b', typeOnly: true },
      { specifier: 'c', typeOnly: true },
      { specifier: 'd', typeOnly: false },
      { specifier: './f', typeOnly: false },
      { specifier: './g', typeOnly: true },
      { specifier: 'h', typeOnly: false },
      { specifier: 'i', typeOnly: false },
      { specifier: 'j', typeOnly: false },
      { specifier: 'k', typeOnly: true },
      { specifier: 'l', typeOnly: false },
    ]);
  });
});

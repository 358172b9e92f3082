/**
 * The test tree mirrors the source folders (the rules are in test/helpers/test-layout.ts): a
 * failure names each misplaced file and the source folders its test folder could have meant.
 */
import * as path from 'node:path';
import { layoutFiles, layoutProblems, sourceFolders } from '../helpers/test-layout';

const ROOT = path.join(__dirname, '..', '..');

describe('test layout', () => {
  const files = layoutFiles(ROOT);

  test('sees the test tree and the source folders', () => {
    expect(files).toEqual(expect.arrayContaining(['test/app/test-layout.test.ts', 'test/smoke/smoke-run.test.ts', 'test/helpers/sample-app.ts']));
    expect([...sourceFolders(ROOT)]).toEqual(expect.arrayContaining(['lib/stacks', 'lambda/transform', 'tools/smoke', 'tools/preflight/checks', 'contract']));
  });

  test('every test sits in the test folder of a source folder', () => {
    expect(layoutProblems(files, sourceFolders(ROOT))).toEqual([]);
  });
});

describe('the rules, on a tree built to break them', () => {
  const folders = new Set(['lib', 'lib/stacks', 'lib/ingest', 'lambda', 'lambda/ingest', 'lambda/transform', 'tools', 'tools/preflight', 'tools/preflight/checks', 'contract']);

  test('a test folder maps to lib/, lambda/ or tools/<area>/, or to a top-level source folder', () => {
    expect(layoutProblems([
      'test/stacks/storage-stack.test.ts',
      'test/stacks/__snapshots__/storage-stack.test.ts.snap',
      'test/ingest/processor.test.ts',
      'test/ingest/database-pull.test.ts',
      'test/preflight/checks/buckets.test.ts',
      'test/contract/raw-layout.test.ts',
      'test/app/docs.test.ts',
      'test/helpers/duckdb.ts',
    ], folders)).toEqual([]);
  });

  test('each misplaced file is named with the reason', () => {
    expect(layoutProblems([
      'test/transforms/values.test.ts',
      'test/stacks/nested/storage-stack.test.ts',
      'test/preflight/checks/old/buckets.test.ts',
      'test/stacks/__snapshots__/gone.test.ts.snap',
      'test/app/cli/cdk.test.ts',
      'test/stray.test.ts',
      'lib/stacks/storage-stack.test.ts',
    ], folders)).toEqual([
      expect.stringMatching(/^test\/transforms\/values\.test\.ts: test\/transforms\/ maps to no source folder \(looked for lib\/transforms, lambda\/transforms, tools\/transforms\); /),
      expect.stringMatching(/^test\/stacks\/nested\/storage-stack\.test\.ts: test\/stacks\/nested\/ maps to no source folder \(looked for lib\/stacks\/nested, /),
      expect.stringMatching(/^test\/preflight\/checks\/old\/buckets\.test\.ts: test\/preflight\/checks\/old\/ maps to no source folder /),
      'test/stacks/__snapshots__/gone.test.ts.snap: no test/stacks/gone.test.ts next to this snapshot folder; a snapshot file sits beside its test, named after it',
      'test/app/cli/cdk.test.ts: test/app/ (the app as a whole and the repository) has no folders below it',
      'test/stray.test.ts: directly in test/; put it in the test folder of the source folder it tests',
      'lib/stacks/storage-stack.test.ts: a test outside test/ never runs (jest.config.js roots); move it to test/<area>/',
    ]);
  });
});

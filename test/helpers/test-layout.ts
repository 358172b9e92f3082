/**
 * Where a test lives, so that the test of any source file is found by its path:
 *
 * - `test/<area>/` holds the tests of `lib/<area>/`, `lambda/<area>/` and `tools/<area>/` (an area
 *   name used under two of them, such as `ingest`, the deploy side in lib/ and the runtime side in
 *   lambda/, shares one test folder), and `test/contract/`, `test/bench/`, `test/scripts/` those of
 *   the top-level folders of those names; a folder below an area mirrors the source folder below it;
 * - `test/app/` tests the app as a whole (bin/app.ts, lib/lakeworks-app.ts) and the repository
 *   (docs, CI, dependencies, the import directions, this layout);
 * - `test/helpers/` is code the tests share;
 * - a snapshot file sits in the `__snapshots__/` folder next to the test it belongs to.
 *
 * Jest runs only test/ (jest.config.js `roots`), so a `*.test.ts` anywhere else would never run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Top-level folders whose first-level folders are areas. */
export const AREA_ROOTS = ['lib', 'lambda', 'tools'] as const;
/** Top-level folders that are an area each. */
export const FOLDER_AREAS = ['contract', 'bench', 'scripts'] as const;
/** Test folders that map to no single source folder, and why they exist. */
export const SHARED_TEST_FOLDERS: Readonly<Record<string, string>> = {
  app: 'the app as a whole and the repository',
  helpers: 'code the tests share',
};

const SNAPSHOTS = '__snapshots__';

/** Every folder below the source folders (`lib/stacks`, `tools/preflight/checks`, `contract`, ...), relative, with `/`. */
export function sourceFolders(root: string): Set<string> {
  const folders = new Set<string>();
  const walk = (relative: string) => {
    folders.add(relative);
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(`${relative}/${entry.name}`);
    }
  };
  for (const folder of [...AREA_ROOTS, ...FOLDER_AREAS]) if (fs.existsSync(path.join(root, folder))) walk(folder);
  return folders;
}

/** Every file of the repository a test layout concerns: all of test/, and `*.test.ts` anywhere else. */
export function layoutFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative || '.'), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory() && entry.name !== 'node_modules' && !entry.name.startsWith('.') && entry.name !== 'cdk.out') walk(child);
      else if (entry.isFile() && (child.startsWith('test/') || entry.name.endsWith('.test.ts'))) files.push(child);
    }
  };
  walk('');
  return files.sort();
}

/** The source folders `test/<area>/<below>` stands for. */
function sourcesOf(area: string, below: readonly string[]): string[] {
  const roots = (FOLDER_AREAS as readonly string[]).includes(area) ? [area] : AREA_ROOTS.map((top) => `${top}/${area}`);
  return roots.map((folder) => [folder, ...below].join('/'));
}

/** One line per misplaced file: `file: why`. */
export function layoutProblems(files: readonly string[], folders: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const present = new Set(files);
  for (const file of files) {
    if (!file.startsWith('test/')) {
      problems.push(`${file}: a test outside test/ never runs (jest.config.js roots); move it to test/<area>/`);
      continue;
    }
    const parts = file.split('/').slice(1);
    const name = parts.pop()!;
    if (parts.length === 0) {
      problems.push(`${file}: directly in test/; put it in the test folder of the source folder it tests`);
      continue;
    }
    if (parts.at(-1) === SNAPSHOTS) {
      parts.pop();
      const test = ['test', ...parts, name.replace(/\.snap$/, '')].join('/');
      if (!name.endsWith('.snap') || !present.has(test)) problems.push(`${file}: no ${test} next to this snapshot folder; a snapshot file sits beside its test, named after it`);
    }
    const [area, ...below] = parts;
    if (area in SHARED_TEST_FOLDERS) {
      if (below.length > 0) problems.push(`${file}: test/${area}/ (${SHARED_TEST_FOLDERS[area]}) has no folders below it`);
      continue;
    }
    const candidates = sourcesOf(area, below);
    if (!candidates.some((folder) => folders.has(folder))) {
      problems.push(`${file}: test/${parts.join('/')}/ maps to no source folder (looked for ${candidates.join(', ')}); `
        + `test/<area>/ holds the tests of ${AREA_ROOTS.map((top) => `${top}/<area>/`).join(', ')} or of ${FOLDER_AREAS.map((folder) => `${folder}/`).join(', ')}`);
    }
  }
  return problems;
}

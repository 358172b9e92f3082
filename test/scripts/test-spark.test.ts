/**
 * `npm run test:spark` (scripts/test-spark.sh) in a copy of the repository's layout: it refuses to
 * run without what `npm run setup` installs, and otherwise hands its arguments to pytest. The real
 * Spark tests are what `npm test` runs after jest; here a stand-in `.venv/bin/python` echoes its
 * arguments.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT, glueRuntime } from '../helpers/ci-commands';

function checkout(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-test-spark-'));
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.mkdirSync(path.join(dir, 'glue-scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts', 'test-spark.sh'), path.join(dir, 'scripts', 'test-spark.sh'));
  fs.copyFileSync(path.join(ROOT, 'glue-scripts', 'glue-runtime.json'), path.join(dir, 'glue-scripts', 'glue-runtime.json'));
  return dir;
}
const run = (dir: string, ...args: string[]) => spawnSync('bash', [path.join(dir, 'scripts', 'test-spark.sh'), ...args], { cwd: os.tmpdir(), encoding: 'utf8' });
function fakeVenv(dir: string): void {
  fs.mkdirSync(path.join(dir, '.venv', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.venv', 'bin', 'python'), '#!/bin/sh\necho "$(pwd -P): $*"\n', { mode: 0o755 });
}
function jars(dir: string, names: string[]): void {
  fs.mkdirSync(path.join(dir, '.cache', 'spark-jars'), { recursive: true });
  for (const name of names) fs.writeFileSync(path.join(dir, '.cache', 'spark-jars', name), 'jar');
}
const runtime = glueRuntime();
const icebergJar = `iceberg-spark-runtime-${runtime.spark.replace(/\.\d+$/, '')}_${runtime.scala}-${runtime.iceberg}.jar`;

describe('scripts/test-spark.sh', () => {
  test('without .venv it fails and says to run npm run setup first', () => {
    const dir = checkout();
    jars(dir, [icebergJar, 'sqlite-jdbc-3.50.3.0.jar']);
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('.venv');
    expect(result.stderr).toContain('run `npm run setup` first');
  });

  test.each([
    ['the Iceberg runtime of glue-runtime.json', ['sqlite-jdbc-3.50.3.0.jar', 'iceberg-spark-runtime-3.5_2.12-0.0.1.jar'], icebergJar],
    ['the SQLite JDBC driver', [icebergJar], 'sqlite-jdbc'],
  ])('without %s it fails and says to run npm run setup first', (_what, present, missing) => {
    const dir = checkout();
    fakeVenv(dir);
    jars(dir, present);
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(missing);
    expect(result.stderr).toContain('run `npm run setup` first');
  });

  test('set up, it runs pytest on glue-scripts/tests from the repository root, extra arguments passed through', () => {
    const dir = checkout();
    fakeVenv(dir);
    jars(dir, [icebergJar, 'sqlite-jdbc-3.50.3.0.jar']);
    const result = run(dir, '-k', 'runtime and not stack');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(`${fs.realpathSync(dir)}: -m pytest glue-scripts/tests -q -p no:cacheprovider -k runtime and not stack`);
  });
});

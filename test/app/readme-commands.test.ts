/**
 * "Every command README shows is run by a test or by .ci/run": this test finds every command in
 * README.md (bash blocks and inline `npm …`/`npx …` spans) and checks that each one is covered by
 * an entry below, whose file really runs it. A new command in README without a test fails here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const SCRIPTS: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;

/** Where each kind of README command runs, and the text that file must contain to run it. */
const COVERAGE: ReadonlyArray<{ command: RegExp; runBy: string; mustContain: string }> = [
  { command: /^npm ci\b/, runBy: '.ci/run', mustContain: 'npm ci' },
  // .ci/run runs the script `npm run setup` names, itself (as the pipeline's synth step does).
  { command: /^npm run setup$/, runBy: '.ci/run', mustContain: SCRIPTS.setup },
  { command: /^npm test$/, runBy: '.ci/run', mustContain: 'npm test' },
  // `npm test` ends with it.
  { command: /^npm run test:spark$/, runBy: 'package.json', mustContain: '&& npm run test:spark"' },
  { command: /^npx cdk synth$/, runBy: 'test/app/cdk-cli.test.ts', mustContain: "'synth'" },
  { command: /^npx cdk deploy /, runBy: 'test/app/cdk-cli.test.ts', mustContain: 'deploy selectors' },
  { command: /^npx cdk bootstrap /, runBy: 'test/app/cdk-cli.test.ts', mustContain: "'--show-template'" },
  { command: /^npm run local /, runBy: 'test/local/local-mode.test.ts', mustContain: 'scripts/local.ts' },
  // Against AWS it needs an account; the CLI runs on stubbed clients, and the npm command line is spawned there.
  { command: /^npm run preflight( |$)/, runBy: 'test/preflight/cli.test.ts', mustContain: "['run', '--silent', 'preflight', '--', '--help']" },
  // The script `npm run access` names, run on a synthesized assembly of the sample.
  { command: /^npm run access( |$)/, runBy: 'test/access/access-matrix.test.ts', mustContain: "'scripts/access.ts', ...args" },
  // Against AWS it needs a deployed lake; offline, its S3 part runs against s3rver with the real
  // transform behind it (test/smoke/smoke-run.test.ts) and the command line is spawned here.
  { command: /^npm run smoke( |$)/, runBy: 'test/smoke/smoke-cli.test.ts', mustContain: "'smoke', '--', '--help'" },
  { command: /^npm run bench$/, runBy: 'test/bench/bench-commands.test.ts', mustContain: "npmRun('bench'" },
  { command: /^npm run bench:scale$/, runBy: 'test/bench/bench-commands.test.ts', mustContain: "npmRun('bench:scale'" },
  { command: /^npm run new-lob /, runBy: 'test/scripts/new-lob.test.ts', mustContain: "['run', 'new-lob'" },
  // The same jest as `npm test`, writing snapshots instead of comparing them.
  { command: /^npm run test:update$/, runBy: 'package.json', mustContain: '"test:update": "jest -u"' },
  { command: /^npm run config:schema$/, runBy: 'test/config/json-schema.test.ts', mustContain: "['run', 'config:schema'" },
];

/** Commands README shows: lines of ```bash blocks (comments dropped) and inline `npm`/`npx` spans. */
function readmeCommands(): string[] {
  const commands = new Set<string>();
  for (const block of README.matchAll(/```bash\n([\s\S]*?)```/g)) {
    for (const line of block[1].split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command) commands.add(command);
    }
  }
  // `npx cdk` alone names the tool, it is not a command to run.
  for (const span of README.matchAll(/`((?:npm|npx) [^`]+)`/g)) if (span[1].trim() !== 'npx cdk') commands.add(span[1].trim());
  return [...commands].flatMap((command) => command.split(/\s*&&\s*/));
}

describe('README commands', () => {
  const commands = readmeCommands();

  test('README shows commands at all (the extraction works)', () => {
    expect(commands).toEqual(expect.arrayContaining(['npm ci', 'npm run setup', 'npm test', 'npx cdk synth']));
  });

  test.each(commands)('%s is run by a test or by .ci/run', (command) => {
    const entry = COVERAGE.find((candidate) => candidate.command.test(command));
    expect({ command, covered: entry !== undefined }).toEqual({ command, covered: true });
    expect(fs.readFileSync(path.join(ROOT, entry!.runBy), 'utf8')).toContain(entry!.mustContain);
  });
});

/**
 * The commands each place that builds Lakeworks runs (`.ci/run`, the GitHub workflow, the
 * pipeline's synth step), read from those files, and a canonical form to compare them by: the same
 * command spelled two ways (`npm run setup` and the script it names, `npx cdk synth --quiet` and
 * `npm run synth`) compares equal.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const ROOT = path.join(__dirname, '..', '..');

const PACKAGE_SCRIPTS: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;

/**
 * The set-up and test commands `.ci/run` runs, in order: its command lines, without comments and
 * the shell's own set-up (`set`, `cd`) or the version prints (`node --version`) that only log.
 */
export function ciRunCommands(): string[] {
  return fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8').split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .filter((line) => !/^(set|cd) /.test(line) && !/ --version$/.test(line));
}

/** The `run:` commands of a job of `.github/workflows/lakeworks.yml`, in order. */
export function workflowRuns(job: string): string[] {
  const workflow = parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'lakeworks.yml'), 'utf8'));
  return (workflow.jobs[job].steps as Array<{ run?: string }>).map((step) => step.run).filter((run): run is string => Boolean(run));
}

/**
 * What a command runs: `npm run <script>` (and `npm test`) become package.json's script, `npx <bin>`
 * the bin, and `npm ci`'s flags that only silence its reports (`--no-audit`, `--no-fund`) go.
 */
export function canonicalCommand(command: string): string {
  const words = command.trim().split(/\s+/);
  if (words[0] === 'npm' && words[1] === 'ci') return ['npm', 'ci', ...words.slice(2).filter((word) => !['--no-audit', '--no-fund'].includes(word))].join(' ');
  const script = words[0] === 'npm' && words[1] === 'run' ? words[2] : words[0] === 'npm' && words[1] === 'test' ? 'test' : undefined;
  if (script !== undefined) {
    const body = PACKAGE_SCRIPTS[script];
    if (body === undefined) throw new Error(`${command}: package.json has no script "${script}"`);
    const rest = words.slice(script === 'test' && words[1] === 'test' ? 2 : 3);
    return [body, ...(rest[0] === '--' ? rest.slice(1) : rest)].join(' ');
  }
  if (words[0] === 'npx') return words.slice(1).join(' ');
  return words.join(' ');
}

/** The engines of the Glue version the curation jobs declare. */
export function glueRuntime(): { java: string; python: string; spark: string; scala: string; iceberg: string } {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'glue-scripts', 'glue-runtime.json'), 'utf8'));
}

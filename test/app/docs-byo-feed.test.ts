/**
 * docs/datasets.md's "Bring your own feed" walkthrough, run as written: the dataset entry, the
 * file and the local-mode command are taken from the page (by their `walkthrough:` markers), the
 * command is spawned as a user would run it, and the page's query is run by DuckDB over the
 * output and compared with the result the page shows.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { query } from '../helpers/duckdb';

const ROOT = path.join(__dirname, '..', '..');
const PAGE = fs.readFileSync(path.join(ROOT, 'docs', 'datasets.md'), 'utf8');

/** The fenced block after `<!-- walkthrough:<name> -->`, with the list item's indentation removed. */
function block(name: string): string {
  const match = new RegExp(`<!-- walkthrough:${name} -->\\n( *)\`\`\`\\w+\\n([\\s\\S]*?)\\n\\1\`\`\``).exec(PAGE);
  if (!match) throw new Error(`docs/datasets.md has no walkthrough:${name} block`);
  return match[2].split('\n').map((line) => line.slice(match[1].length)).join('\n');
}

/** The markdown table right after the query block: its header and rows. */
function shownResult(): Array<Record<string, string>> {
  const after = PAGE.slice(PAGE.indexOf('<!-- walkthrough:query -->'));
  const lines = after.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('|'));
  const cells = (line: string) => line.slice(1, -1).split('|').map((cell) => cell.trim());
  const header = cells(lines[0]);
  const rows: Array<Record<string, string>> = [];
  for (const line of lines.slice(2)) rows.push(Object.fromEntries(cells(line).map((cell, index) => [header[index], cell])));
  return rows;
}

test('the walkthrough takes a new file to rows the query returns', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-byo-'));
  // Step 1: the copy of the config.
  fs.cpSync(path.join(ROOT, 'config'), path.join(work, 'my-config'), { recursive: true });
  // Step 2: the dataset entry, added under datasets:.
  const lobFile = path.join(work, 'my-config', 'lobs', 'finance.yaml');
  const lob = parse(fs.readFileSync(lobFile, 'utf8'));
  const entry = parse(block('dataset'));
  expect(entry).toHaveLength(1);
  lob.datasets.push(entry[0]);
  fs.writeFileSync(lobFile, stringify(lob));
  // Step 3: the file.
  const dataset = entry[0].name as string;
  fs.mkdirSync(path.join(work, 'my-input', dataset), { recursive: true });
  fs.writeFileSync(path.join(work, 'my-input', dataset, 'IBM.json'), block('file'));
  // Step 4: the command, as shown, run from the work folder with the repository's scripts.
  const command = block('run').trim();
  expect(command).toMatch(/^npm run local -- /);
  const args = command.replace(/^npm run local -- /, '').split(/\s+/);
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'scripts', 'local.ts'), ...args],
    { cwd: work, encoding: 'utf8', timeout: 120_000 });
  expect(result.stderr).not.toMatch(/Error/);
  expect(result.status).toBe(0);
  const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
  expect(summary.datasets[dataset]).toEqual({ read: 2, written: 2, quarantined: 0 });
  // Step 5: the query, over the table's files, as the page shows its result.
  const files = `${work}/my-lake/standardized/${dataset}/**/*.parquet`;
  const sql = block('query').replace(`FROM ${dataset}`, `FROM read_parquet('${files}', hive_partitioning = true, hive_types = {'trade_date': DATE})`);
  const rows = (await query(sql)).map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, String(value)])));
  expect(rows).toEqual(shownResult());
}, 180_000);

/**
 * Local mode's database pull end to end: `--pull accounts` against a PostgreSQL on loopback named
 * by JDBC URL, through the Glue entry point on local Spark, then the real transform over what it
 * wrote; a second run pulls only what changed (the high-water mark is kept under --out).
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LOCAL_PYTHON } from '../../tools/local/local-curation';
import { LocalModeError, runLocal } from '../../tools/local/run-local';

const ROOT = path.join(__dirname, '..', '..');
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** A PostgreSQL on loopback (glue-scripts/local/postgres.py) running until its stdin closes; SQL is sent a line at a time. */
const SERVER = `
import json, sys
sys.path.insert(0, "glue-scripts")
from local.postgres import LocalPostgres
server = LocalPostgres().start()
print(json.dumps({"url": server.jdbc_url, "user": server.user, "password": server.password}), flush=True)
for line in sys.stdin:
    server.sql(line)
    print("ok", flush=True)
server.stop()
`;

let server: ChildProcessByStdio<Writable, Readable, null>;
let lines: AsyncIterator<string>;
let database: { url: string; user: string; password: string };

async function* readLines(child: ChildProcessByStdio<Writable, Readable, null>): AsyncGenerator<string> {
  let buffer = '';
  for await (const chunk of child.stdout) {
    buffer += chunk.toString('utf8');
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
}

async function sql(statement: string): Promise<void> {
  server.stdin.write(`${statement.replace(/\n/g, ' ')}\n`);
  expect((await lines.next()).value).toBe('ok');
}

beforeAll(async () => {
  server = spawn(LOCAL_PYTHON, ['-c', SERVER], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  lines = readLines(server);
  database = JSON.parse((await lines.next()).value as string);
  await sql(`CREATE TABLE accounts (account_id bigint PRIMARY KEY, name text NOT NULL, industry text, country text, owner_email text,
    annual_revenue numeric(14,2), created_at timestamp NOT NULL, updated_at timestamp NOT NULL)`);
  await sql(`INSERT INTO accounts VALUES (1, 'Acme', 'manufacturing', 'US', 'ann@acme.example', 1200000.50, '2024-01-05 10:00:00', '2024-03-01 08:00:00'),
    (2, 'Globex', NULL, 'DE', NULL, NULL, '2024-02-01 11:00:00', '2024-03-01 09:30:00')`);
}, 120_000);

afterAll(async () => {
  server.stdin.end();
  await new Promise((resolve) => server.on('close', resolve));
});

test('rows pulled from the named database land in raw and are transformed; the next run pulls only what changed', async () => {
  const out = tmp('lakeworks-pull-out-');
  const pull = { dataset: 'accounts', jdbcUrl: database.url, user: database.user, password: database.password };
  const run = () => runLocal({ lob: 'marketing', pull, out, configDir: path.join(ROOT, 'config'), workDir: tmp('lakeworks-pull-work-'), through: 'transform' });

  const first = await run();
  expect(first.pulled).toMatchObject({ dataset: 'accounts', rows: 2, from: null, outcome: 'pulled 2 rows' });
  expect(first.datasets.accounts).toEqual({ read: 2, written: 2, quarantined: 0 });
  expect(first.objects.filter((key) => key.startsWith('raw/landing/accounts/updated_at=start_')).length).toBeGreaterThan(0);

  await sql("INSERT INTO accounts VALUES (3, 'Initech', 'software', 'US', NULL, 50000, '2024-03-02 09:00:00', '2024-03-02 09:00:00')");
  const second = await run();
  // The sample's hour of look-back reads Globex (09:30) again with Initech; conformed keeps one row per key.
  expect(second.pulled).toMatchObject({ rows: 2, from: '2024-03-01T09:30:00+00:00', to: '2024-03-02T09:00:00+00:00' });
  expect(second.datasets.accounts).toEqual({ read: 4, written: 4, quarantined: 0 });

  const third = await run();
  expect(third.pulled).toMatchObject({ rows: 0, outcome: 'no new rows' });
}, 600_000);

test('a dataset without a database source is refused, naming those that have one', async () => {
  const pull = { dataset: 'leads', jdbcUrl: database.url, user: database.user, password: database.password };
  await expect(runLocal({ lob: 'marketing', pull, out: tmp('lakeworks-pull-out-'), configDir: path.join(ROOT, 'config'), workDir: tmp('lakeworks-pull-work-') }))
    .rejects.toThrow(new LocalModeError('--pull leads: not a dataset of marketing with a database source (those are: accounts)'));
});

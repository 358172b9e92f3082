/**
 * `npm run local -- --lob <lob> --input <dir> --out <dir> [--through transform] [--backfill]`:
 * the deployed data path on one machine.
 *
 * Starts an embedded S3 endpoint on loopback (s3rver), creates the LoB's buckets, uploads
 * `<input>/<dataset>/<files>` to raw `landing/<dataset>/…` as a batch upload would, and invokes the
 * real transform handler with the SQS event shape AWS delivers (retrying failed messages as SQS
 * would, up to the queue's maxReceiveCount). Then it mirrors every bucket under `--out` as
 * `<layer>/<key>` and prints, as its last line, one JSON summary:
 * `{"datasets": {"<dataset>": {"read": n, "written": n, "quarantined": n}}, "objects": ["<layer>/<key>", …], "curated": [...]}`.
 *
 * Then it runs the curated layers as the curation state machine does, every conformed table then
 * every enriched table, through the Glue entry points on Spark and Iceberg (npm run setup installs
 * them); `curated` holds each table's run report. The lake under --out is kept: run again with the
 * next day's files and the curated run is incremental; --backfill rebuilds the curated tables;
 * --through transform stops before them (and needs no Spark).
 *
 * `--pull <dataset> --jdbc-url <url> --user <name> --password-env <VAR>` first runs the dataset's
 * database pull (tools/local/local-pull.ts) against the database you name and uploads the rows it
 * wrote with the other input (`--input` is then optional); `pulled` in the summary is its report.
 * `--pull <dataset> --api-url <url> [--secret-env <VAR>]` instead runs the dataset's API pull (the
 * real pull handler, tools/local/local-api-pull.ts) against the URL you name, with the secret from
 * that variable; `apiPulled` in the summary is its report.
 *
 * Counts are taken from what the lake holds afterwards (Parquet row counts read by DuckDB,
 * quarantine lines), not from the handler's own report. An unreadable object counts as one record
 * read and one quarantined: its reason is under `quarantine/<dataset>/unreadable/`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runLocal, LocalModeError } from '../tools/local/run-local';

const USAGE = 'usage: npm run local -- --lob <lob> [--input <dir>] [--pull <dataset> (--jdbc-url <url> --user <name> --password-env <VAR> | --api-url <url> [--secret-env <VAR>])] --out <dir> [--through transform|curated] [--backfill]';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        lob: { type: 'string' }, input: { type: 'string' }, out: { type: 'string' }, config: { type: 'string' }, through: { type: 'string' }, backfill: { type: 'boolean' },
        'pull': { type: 'string' }, 'jdbc-url': { type: 'string' }, 'user': { type: 'string' }, 'password-env': { type: 'string' },
        'api-url': { type: 'string' }, 'secret-env': { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.through !== undefined && args.through !== 'transform' && args.through !== 'curated') {
    process.stderr.write(`--through must be transform or curated; got ${JSON.stringify(args.through)}\n${USAGE}\n`);
    return 2;
  }
  const missing = [...(['lob'] as const).filter((name) => !args[name]), ...(args.input || args.pull ? [] : ['input']), ...(args.out ? [] : ['out'])];
  if (args.pull && !args['api-url']) missing.push(...(['jdbc-url', 'user', 'password-env'] as const).filter((name) => !args[name]));
  if (missing.length > 0) {
    process.stderr.write(`missing ${missing.map((name) => `--${name}`).join(', ')}\n${USAGE}\n`);
    return 2;
  }
  // The password is read from a variable the user names, never from the command line (where other users of the machine could see it).
  const password = args['password-env'] ? process.env[args['password-env']] : undefined;
  if (args.pull && !args['api-url'] && !password) {
    process.stderr.write(`--password-env ${args['password-env']}: that environment variable is not set\n${USAGE}\n`);
    return 2;
  }
  try {
    const summary = await runLocal({
      lob: args.lob!, input: args.input ? path.resolve(args.input) : undefined, out: path.resolve(args.out!),
      pull: args.pull && !args['api-url'] ? { dataset: args.pull, jdbcUrl: args['jdbc-url']!, user: args.user!, password: password! } : undefined,
      apiPull: args.pull && args['api-url'] ? { dataset: args.pull, url: args['api-url'], ...(args['secret-env'] ? { secretVariable: args['secret-env'] } : {}) } : undefined,
      configDir: args.config ?? process.env.LAKEWORKS_CONFIG_DIR ?? 'config',
      workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-local-')),
      through: args.through as 'transform' | 'curated' | undefined,
      mode: args.backfill ? 'backfill' : 'incremental',
    });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof LocalModeError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

main().then((code) => process.exit(code), (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

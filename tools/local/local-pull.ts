/**
 * Local mode's database pull (`npm run local -- --pull <dataset> --jdbc-url <url> --user <name>
 * --password-env <VAR>`): the dataset's pull through the Glue entry point on local Spark
 * (glue-scripts/local/run_pull.py), against the database the user names, with the source spec the
 * stack gives the job. The rows land as the deployed pull writes them, under
 * `<raw>/landing/<dataset>/<column>=<from>_<to>/`, and local mode uploads them to the lake's raw
 * bucket like any other input. The high-water mark is kept under `<out>/.lakeworks/pull-state/`,
 * so the next local pull reads only what changed.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LobConfig } from '../../lib/config/lob-schema';
import { sourceSpec } from '../../lib/ingest/database-pull';
import { filesUnder } from './dataset-inputs';
import { LOCAL_PYTHON } from './local-curation';

const REPOSITORY = path.join(__dirname, '..', '..');

export interface LocalPullOptions {
  readonly dataset: string;
  readonly jdbcUrl: string;
  readonly user: string;
  /** The password itself: read by the caller from the variable the user named, passed on in the environment only. */
  readonly password: string;
}

/** What the pull did (lakeworks_ingest.database_pull.PullReport.summary). */
export interface PullReport {
  readonly dataset: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly rows: number;
  readonly folder: string | null;
  readonly resumed: boolean;
  readonly outcome: string;
}

export class LocalPullError extends Error {}

/** Pulls into `<rawDir>/landing/<dataset>/…`; returns the job's report. */
export async function runLocalPull(lob: LobConfig, options: LocalPullOptions, rawDir: string, out: string, workDir: string): Promise<PullReport> {
  const dataset = lob.datasets.find((candidate) => candidate.name === options.dataset);
  const source = dataset?.source?.database;
  if (!source) {
    const pulled = lob.datasets.filter((candidate) => candidate.source?.database).map((candidate) => candidate.name);
    throw new LocalPullError(`--pull ${options.dataset}: not a dataset of ${lob.name} with a database source (those are: ${pulled.join(', ') || 'none'})`);
  }
  if (!options.jdbcUrl.startsWith(`jdbc:${source.jdbcUrl.split(':')[1]}:`)) {
    throw new LocalPullError(`--jdbc-url must be a ${source.jdbcUrl.split(':')[1]} URL like the dataset's (${source.jdbcUrl.split('//')[0]}//…); got ${options.jdbcUrl.split('//')[0]}//…`);
  }
  if (!fs.existsSync(LOCAL_PYTHON)) {
    throw new LocalPullError('local mode runs the pull on Spark, as Glue does: run `npm run setup` once (it needs Python 3.11, Java 17 and Maven)');
  }
  const specFile = path.join(workDir, `${dataset!.name}-source-spec.json`);
  fs.writeFileSync(specFile, JSON.stringify({ ...sourceSpec(dataset!.name, source), jdbcUrl: options.jdbcUrl }));
  const child = spawn(LOCAL_PYTHON, [path.join(REPOSITORY, 'glue-scripts', 'local', 'run_pull.py'), '--spec', specFile, '--raw', rawDir,
    '--state', path.join(out, '.lakeworks', 'pull-state', `${dataset!.name}.json`), '--workspace', path.join(workDir, 'spark')], {
    cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LAKEWORKS_DB_USER: options.user, LAKEWORKS_DB_PASSWORD: options.password },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => { process.stderr.write(chunk); });
  const code = await new Promise<number | null>((resolve, reject) => { child.on('error', reject); child.on('close', resolve); });
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new LocalPullError(`the pull of ${dataset!.name} failed (exit ${code}); see the log above`);
  // Hadoop's local file system writes a .<file>.crc checksum beside each file; S3 has none, so
  // they are not part of what the deployed pull lands.
  const landing = path.join(rawDir, 'landing');
  if (fs.existsSync(landing)) {
    for (const file of filesUnder(landing)) if (/^\..*\.crc$/.test(path.basename(file))) fs.rmSync(file);
  }
  return JSON.parse(last) as PullReport;
}

/**
 * Local mode's curated layers: the Glue entry points on PySpark with the Iceberg runtime of the
 * Glue version the jobs declare (glue-scripts/local/run_curation.py), over the standardized
 * folder the local transform wrote, with the arguments CurationStack gives the jobs. The Iceberg
 * catalog is kept under `<out>/.lakeworks/iceberg`, so the next local run is incremental, as the
 * deployed schedule's is.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LobConfig } from '../../lib/config/lob-schema';
import type { NameScope } from '../../lib/config/names';
import type { CurationMode } from '../../lib/curation/job-arguments';
import { curationPlan } from './curation-plan';

const REPOSITORY = path.join(__dirname, '..', '..');
export const LOCAL_PYTHON = path.join(REPOSITORY, '.venv', 'bin', 'python');

/** One curated table's run, as the job logs it (lakeworks_curation.job.RunReport.summary). */
export interface CurationReport {
  readonly table: string;
  readonly mode: CurationMode;
  readonly backfill: string | null;
  readonly outcome: string;
  readonly rowsRead: Record<string, number>;
  readonly rowsWritten: number;
}

export class LocalCurationError extends Error {}

export async function runLocalCuration(lob: LobConfig, names: NameScope, out: string, workDir: string, mode: CurationMode): Promise<CurationReport[]> {
  if (!fs.existsSync(LOCAL_PYTHON)) {
    throw new LocalCurationError('local mode runs the curated layers on Spark, as Glue does: run `npm run setup` once '
      + '(it needs Python 3.11, Java 17 and Maven), or stop after the transform with --through transform');
  }
  const planFile = path.join(workDir, `${lob.name}-curation-plan.json`);
  fs.writeFileSync(planFile, JSON.stringify(curationPlan(lob, names, out)));
  const child = spawn(LOCAL_PYTHON, [path.join(REPOSITORY, 'glue-scripts', 'local', 'run_curation.py'), '--plan', planFile,
    '--workspace', path.join(out, '.lakeworks', 'iceberg'), '--mode', mode], { cwd: REPOSITORY, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => { child.on('error', reject); child.on('close', resolve); });
  if (code !== 0) {
    // run_curation.py prints its one-line reason last, prefixed so it can be found among Spark's logs.
    const reason = stderr.split('\n').filter((line) => line.startsWith('lakeworks: ')).pop()?.slice('lakeworks: '.length);
    throw new LocalCurationError(reason ?? `the curated layers failed (exit ${code}); see the log above`);
  }
  const summary = JSON.parse(stdout.trim().split('\n').pop()!) as { curated: CurationReport[] };
  return summary.curated;
}

/**
 * `npm run smoke -- --env <env> --lob <lob>`: proves a deployed line of business works, end to end,
 * with the LoB's sample inputs (see tools/smoke/run-smoke.ts for the steps and README "Verify a
 * deployment" for permissions). Credentials come from the standard AWS SDK chain; the region is
 * the environment's, from config/platform.yaml.
 *
 * Exit codes: 0 every step passed, 1 a step failed (the table says which, on what, and why),
 * 2 bad arguments or configuration.
 */
import * as path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { readCommandLine } from '../tools/cli/command-line';
import { USAGE, parseSmokeArguments, resolveTarget } from '../tools/smoke/arguments';
import { realTiming } from '../tools/smoke/polling';
import { progressLine } from '../tools/smoke/progress';
import { formatReport } from '../tools/smoke/report';
import { runSmoke } from '../tools/smoke/run-smoke';
import { newRunId } from '../tools/smoke/samples';

const MINUTE = 60_000;

async function main(): Promise<number> {
  const commandLine = readCommandLine(process.argv.slice(2), { usage: USAGE, parse: parseSmokeArguments, resolve: resolveTarget });
  if ('exitCode' in commandLine) return commandLine.exitCode;
  const { args, target } = commandLine;

  const region = target.environment.region;
  const clients = {
    s3: new S3Client({ region }), ssm: new SSMClient({ region }), sqs: new SQSClient({ region }),
    sfn: new SFNClient({ region }), athena: new AthenaClient({ region }),
  };
  const runId = newRunId(new Date());
  const progress = progressLine(process.stderr);
  process.stderr.write(`smoke run ${runId}: ${target.environment.name}/${target.lob.name} in account ${target.environment.account}, ${region}\n`);
  try {
    const report = await runSmoke({
      target, runId, keep: args.keep,
      samplesDir: path.resolve(args.samples ?? path.join('samples', target.lob.name)),
      timeoutsMs: { transform: args.transformTimeoutMinutes * MINUTE, curation: args.curationTimeoutMinutes * MINUTE, query: args.queryTimeoutMinutes * MINUTE },
    }, { clients, timing: realTiming, progress: (line) => progress.update(line) });
    progress.done();
    process.stdout.write(`${formatReport(report.steps)}\n`);
    return report.passed ? 0 : 1;
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

main().then((code) => process.exit(code), (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

/**
 * `npm run replay -- --env <env> --lob <lob> --dataset <dataset>`: has the deployed transform read a
 * dataset's raw objects again, with the config it is deployed with (tools/replay/replay-objects.ts;
 * docs/data-path.md, "Replaying a dataset", for when and the permissions). Credentials come from the
 * standard AWS SDK chain; the region is the environment's, from config/platform.yaml.
 *
 * Prints one line per object (`<LastModified> <key>`), then a summary. Exit codes: 0 every event
 * sent (or, with --dry-run, listed), 1 an AWS call failed or SQS refused an event, 2 bad arguments.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { readCommandLine } from '../tools/cli/command-line';
import { USAGE, parseReplayArguments, resolveReplayTarget } from '../tools/replay/replay-arguments';
import { replayDataset } from '../tools/replay/replay-objects';

async function main(): Promise<number> {
  const commandLine = readCommandLine(process.argv.slice(2), { usage: USAGE, parse: parseReplayArguments, resolve: resolveReplayTarget });
  if ('exitCode' in commandLine) return commandLine.exitCode;
  const { args, target } = commandLine;

  const region = target.environment.region;
  const clients = { s3: new S3Client({ region }), sqs: new SQSClient({ region }), ssm: new SSMClient({ region }) };
  try {
    const result = await replayDataset(clients, target, { since: args.since, until: args.until, dryRun: args.dryRun, progress: (line) => process.stderr.write(`${line}\n`) });
    for (const object of result.objects) process.stdout.write(`${object.time.toISOString()} ${object.key}\n`);
    const what = `${result.objects.length} object(s) of s3://${result.rawBucket}/${result.prefix}`;
    if (args.dryRun) {
      process.stdout.write(`dry run: ${what} would be replayed to ${result.queueUrl}\n`);
      return 0;
    }
    for (const failure of result.failed) process.stdout.write(`FAIL: ${failure.key}: ${failure.reason}\n`);
    process.stdout.write(`${result.failed.length === 0 ? 'sent' : 'sent with failures'}: ${result.objects.length - result.failed.length} of ${what} to ${result.queueUrl}\n`);
    return result.failed.length === 0 ? 0 : 1;
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

main().then((code) => process.exit(code), (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});

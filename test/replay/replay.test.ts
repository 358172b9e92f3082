/**
 * `npm run replay`: arguments checked against the configuration; the listing (current versions
 * only, deleted and hidden objects left out, days of arrival, pages) and the events sent, ten per
 * batch, with SQS's refusals reported; and, through the real handler against the embedded S3
 * endpoint, that the events it sends are taken as S3's own and make a dataset's objects be read
 * again with the changed config, replacing what was written before.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createdObjectOf, objectCreatedEvent } from '../../contract/object-created-event';
import { toEnvironment, transformSettingsOf } from '../../contract/transform-settings';
import { datasetSchema } from '../../lib/config/lob-schema';
import { ReplayUsageError, parseReplayArguments, resolveReplayTarget } from '../../tools/replay/replay-arguments';
import { replayDataset } from '../../tools/replay/replay-objects';
import { startEmbeddedS3 } from '../../tools/local/embedded-lake';
import { sampleConfig } from '../helpers/sample-app';

const config = sampleConfig();
const target = resolveReplayTarget(config, { env: 'dev', lob: 'finance', dataset: 'stock_prices' });
const RAW = 'acme-dev-finance-raw-111111111111-eu-west-1';
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/111111111111/acme-dev-finance-transform';

describe('arguments', () => {
  test('an environment, a line of business and one of its datasets are required', () => {
    expect(() => parseReplayArguments(['--env', 'dev', '--lob', 'finance'])).toThrow(new ReplayUsageError('missing --dataset'));
    expect(parseReplayArguments(['--help'])).toMatchObject({ help: true });
    expect(parseReplayArguments(['--env', 'dev', '--lob', 'finance', '--dataset', 'fx_rates', '--since', '2024-01-02', '--dry-run']))
      .toEqual({ help: false, env: 'dev', lob: 'finance', dataset: 'fx_rates', since: '2024-01-02', until: undefined, dryRun: true, config: undefined });
  });

  test('days must be real days in order; unknown names are refused with the known ones', () => {
    const base = ['--env', 'dev', '--lob', 'finance', '--dataset', 'fx_rates'];
    expect(() => parseReplayArguments([...base, '--since', '2024-02-30'])).toThrow('--since must be a day as yyyy-mm-dd; got "2024-02-30"');
    expect(() => parseReplayArguments([...base, '--since', '2024-02-02', '--until', '2024-02-01'])).toThrow('--since 2024-02-02 is after --until 2024-02-01');
    expect(() => parseReplayArguments([...base, '--days', '3'])).toThrow(ReplayUsageError);
    expect(() => resolveReplayTarget(config, { env: 'dev', lob: 'finance', dataset: 'prices' })).toThrow(/^line of business "finance" has no dataset "prices"; datasets: stock_prices, fx_rates/);
    expect(() => resolveReplayTarget(config, { env: 'qa', lob: 'finance', dataset: 'fx_rates' })).toThrow('unknown environment "qa"; configured: dev, prod');
  });
});

/** Clients whose answers the test sets; mocked per instance, so the embedded lake's own clients stay real. */
function mockedClients() {
  const clients = { s3: new S3Client({ region: 'eu-west-1' }), sqs: new SQSClient({ region: 'eu-west-1' }), ssm: new SSMClient({ region: 'eu-west-1' }) };
  const mocks = { s3: mockClient(clients.s3), sqs: mockClient(clients.sqs), ssm: mockClient(clients.ssm) };
  mocks.ssm.on(GetParametersCommand).resolves({ Parameters: [
    { Name: '/acme/dev/finance/buckets/raw', Value: RAW },
    { Name: '/acme/dev/finance/transform/queue-url', Value: QUEUE },
  ] });
  mocks.sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  return { clients, mocks };
}

const version = (key: string, lastModified: string, extra: Record<string, unknown> = {}) => ({
  Key: key, VersionId: `v-${key.length}-${lastModified}`, IsLatest: true, LastModified: new Date(lastModified), Size: 10, ETag: '"abc"', ...extra,
});

test('the command: --help reaches the script, bad arguments exit 2 with the reason and the usage', () => {
  const run = (...args: string[]) => spawnSync('npm', ['run', '--silent', 'replay', '--', ...args], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
  const help = run('--help');
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/^usage: npm run replay -- --env <env> --lob <lob> --dataset <dataset>/);
  const bad = run('--env', 'dev', '--lob', 'finance', '--dataset', 'prices');
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/^line of business "finance" has no dataset "prices"; datasets: .*\nusage: npm run replay/);
});

describe('the listing and the events', () => {
  test('current versions under the dataset\'s prefix, in the days asked for, hidden and replaced versions left out; ten events per batch', async () => {
    const { clients, mocks } = mockedClients();
    const days = Array.from({ length: 12 }, (_, i) => version(`landing/stock_prices/2024-01-${String(i + 1).padStart(2, '0')}.csv`, `2024-03-${String(i + 1).padStart(2, '0')}T10:00:00Z`));
    mocks.s3.on(ListObjectVersionsCommand, { Bucket: RAW, Prefix: 'landing/stock_prices/', KeyMarker: undefined }).resolves({
      IsTruncated: true, NextKeyMarker: 'k', NextVersionIdMarker: 'v',
      Versions: [...days.slice(0, 6), version('landing/stock_prices/2024-01-01.csv', '2024-02-01T10:00:00Z', { IsLatest: false, VersionId: 'older' })],
    });
    mocks.s3.on(ListObjectVersionsCommand, { Bucket: RAW, Prefix: 'landing/stock_prices/', KeyMarker: 'k', VersionIdMarker: 'v' }).resolves({
      IsTruncated: false,
      Versions: [...days.slice(6), version('landing/stock_prices/export/_SUCCESS', '2024-03-05T10:00:00Z')],
      // A deleted object's latest version is its delete marker: not listed under Versions as latest.
      DeleteMarkers: [{ Key: 'landing/stock_prices/gone.csv', IsLatest: true, VersionId: 'dm', LastModified: new Date('2024-03-05T10:00:00Z') }],
    });
    const result = await replayDataset(clients, target, { since: '2024-03-02', until: '2024-03-12', dryRun: false });
    expect(result).toMatchObject({ rawBucket: RAW, queueUrl: QUEUE, prefix: 'landing/stock_prices/', hidden: 1, failed: [] });
    expect(result.objects.map((object) => object.key)).toEqual(days.slice(1).map((day) => day.Key));
    const batches = mocks.sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input);
    expect(batches.map((batch) => [batch.QueueUrl, batch.Entries!.length])).toEqual([[QUEUE, 10], [QUEUE, 1]]);
    // Each event reads as S3's own would: the version, and the arrival time to the second.
    const first = createdObjectOf(batches[0].Entries![0].MessageBody!);
    expect(first).toEqual({ source: { bucket: RAW, key: days[1].Key, version: days[1].VersionId }, time: new Date('2024-03-02T10:00:00Z') });
  });

  test('--dry-run sends nothing; SQS\'s refusals are reported per object', async () => {
    const { clients, mocks } = mockedClients();
    mocks.s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false, Versions: [version('landing/stock_prices/a.csv', '2024-03-01T10:00:00Z'), version('landing/stock_prices/b.csv', '2024-03-01T10:00:00Z')] });
    expect((await replayDataset(clients, target, { dryRun: true })).objects).toHaveLength(2);
    expect(mocks.sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    mocks.sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: 'x' }], Failed: [{ Id: '1', SenderFault: true, Code: 'KMS.AccessDeniedException', Message: 'not allowed to use the key' }] });
    expect((await replayDataset(clients, target, { dryRun: false })).failed).toEqual([{ key: 'landing/stock_prices/b.csv', reason: 'KMS.AccessDeniedException: not allowed to use the key' }]);
  });

  test('a stream dataset replays stream/<dataset>/; missing parameters say what to deploy', async () => {
    const { clients, mocks } = mockedClients();
    mocks.s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false, Versions: [] });
    const stream = resolveReplayTarget(config, { env: 'dev', lob: 'marketing', dataset: 'web_events' });
    expect(stream.dataset.ingest).toBe('stream');
    mocks.ssm.on(GetParametersCommand).resolves({ Parameters: [
      { Name: '/acme/dev/marketing/buckets/raw', Value: 'acme-dev-marketing-raw' }, { Name: '/acme/dev/marketing/transform/queue-url', Value: QUEUE },
    ] });
    expect(await replayDataset(clients, stream, { dryRun: true })).toMatchObject({ prefix: 'stream/web_events/', objects: [] });
    mocks.ssm.on(GetParametersCommand).resolves({ Parameters: [] });
    await expect(replayDataset(clients, target, { dryRun: true })).rejects.toThrow(
      'SSM parameter(s) /acme/dev/finance/buckets/raw, /acme/dev/finance/transform/queue-url not found: deploy dev/finance-* first, and check that your credentials are for account 111111111111 in eu-west-1');
  });
});

describe('through the handler against the embedded S3 endpoint', () => {
  test('after a config change, the replayed events make the transform read the object again and replace its outputs', async () => {
    const raw = 'acme-test-replaytool-raw';
    const standardized = 'acme-test-replaytool-standardized';
    const lake = await startEmbeddedS3({ directory: fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-replay-tool-')), region: 'eu-west-1', buckets: [raw, standardized] });
    try {
      const prices = (close: Record<string, unknown>) => datasetSchema.parse({
        name: 'stock_prices', ingest: 'batch', format: 'csv', primaryKey: ['ticker', 'date'],
        schema: [{ name: 'ticker', type: 'string', nullable: false }, { name: 'date', type: 'date', nullable: false }, { name: 'close', type: 'decimal(10,2)', ...close }],
      });
      const load = (close: Record<string, unknown>) => {
        let transform!: ReturnType<typeof lake.loadTransform>;
        const environment = toEnvironment(transformSettingsOf({ datasets: [prices(close)], transform: { rowGroupRows: 1000, parquetIntegerEncoding: 'delta' as const, memoryMb: 1024, timeoutSeconds: 300 } },
          standardized, { s3Endpoint: lake.endpoint, powertools: { logLevel: 'SILENT', metricsDisabled: true } }));
        jest.isolateModules(() => { transform = lake.loadTransform(environment); });
        return transform;
      };
      const object = await lake.upload(raw, 'landing/stock_prices/2024-01-02.csv', 'ticker,date,close\nAAPL,2024-01-02,185.125\nMSFT,2024-01-02,370.5\n');
      expect(await load({}).deliver([object])).toEqual([]);
      expect((await lake.keys(standardized)).filter((key) => key.startsWith('quarantine/'))).toHaveLength(1);

      // The listing as S3 gives it for this (unversioned) bucket: version id "null".
      const { clients, mocks } = mockedClients();
      mocks.ssm.on(GetParametersCommand).resolves({ Parameters: [{ Name: '/acme/dev/finance/buckets/raw', Value: raw }, { Name: '/acme/dev/finance/transform/queue-url', Value: QUEUE }] });
      mocks.s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false, Versions: [{ Key: object.key, VersionId: 'null', IsLatest: true, LastModified: object.time, Size: object.size, ETag: object.etag }] });
      await replayDataset(clients, target, { dryRun: false });
      const bodies = mocks.sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries!.map((entry) => entry.MessageBody!));
      expect(bodies.map(createdObjectOf)).toEqual([createdObjectOf(JSON.stringify(objectCreatedEvent(object)))]);

      expect(await load({ decimalRounding: 'round' }).deliverBodies(bodies)).toEqual([]);
      const keys = await lake.keys(standardized);
      expect(keys.filter((key) => key.startsWith('quarantine/'))).toEqual([]);
      expect(keys.filter((key) => key.startsWith('manifests/'))).toHaveLength(1);
      expect(keys.filter((key) => key.endsWith('.parquet'))).toHaveLength(1);
    } finally {
      await lake.stop();
    }
  });
});

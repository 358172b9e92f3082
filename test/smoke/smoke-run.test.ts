/**
 * A whole smoke run: S3 for real on the embedded endpoint, with the real transform handler turning
 * the uploads into standardized objects; SSM, SQS, Step Functions and Athena mocked. Checks the
 * predicted keys match what the real transform writes, that the run removes exactly what it
 * caused, and how failures are reported.
 */
import * as path from 'node:path';
import { AthenaClient, BatchGetNamedQueryCommand, GetQueryExecutionCommand, GetQueryResultsCommand, ListNamedQueriesCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { landingKey } from '../../contract/raw-layout';
import { manifestKey } from '../../contract/standardized-layout';
import { writerSettingsOf } from '../../contract/transform-settings';
import { loadLakeConfig } from '../../lib/config/load-config';
import { resolveTarget } from '../../tools/smoke/arguments';
import { expectedOutputs, manifestKeys } from '../../tools/smoke/expected-outputs';
import { realTiming } from '../../tools/smoke/polling';
import { formatReport } from '../../tools/smoke/report';
import { type SmokeReport, runSmoke } from '../../tools/smoke/run-smoke';
import { waitForTransform } from '../../tools/smoke/transform-wait';
import { type EmbeddedLake, startEmbeddedLake } from './embedded-lake';

const ROOT = path.join(__dirname, '..', '..');
const config = loadLakeConfig(path.join(ROOT, 'config'));
const target = resolveTarget(config, { env: 'dev', lob: 'finance' });
const RUN_ID = 'smoke-20261122t101500z-abc123';
const STATE_MACHINE = 'arn:aws:states:eu-west-1:111111111111:stateMachine:acme-dev-finance-curation';
const DLQ = 'https://sqs.eu-west-1.amazonaws.com/111111111111/acme-dev-finance-transform-dlq';

function mocksOf(clients: { ssm: SSMClient; sqs: SQSClient; sfn: SFNClient; athena: AthenaClient }) {
  return { ssm: mockClient(clients.ssm), sqs: mockClient(clients.sqs), sfn: mockClient(clients.sfn), athena: mockClient(clients.athena) };
}
type Mocks = ReturnType<typeof mocksOf>;

/** A deployed finance LoB as the mocked services describe it, around the embedded buckets. */
function deployedServices(lake: EmbeddedLake): { clients: { ssm: SSMClient; sqs: SQSClient; sfn: SFNClient; athena: AthenaClient }; mocks: Mocks } {
  const clients = { ssm: new SSMClient({ region: 'eu-west-1' }), sqs: new SQSClient({ region: 'eu-west-1' }), sfn: new SFNClient({ region: 'eu-west-1' }), athena: new AthenaClient({ region: 'eu-west-1' }) };
  const mocks = mocksOf(clients);
  const prefix = '/acme/dev/finance';
  mocks.ssm.on(GetParametersByPathCommand).resolves({ Parameters: [
    { Name: `${prefix}/buckets/raw`, Value: lake.buckets.raw },
    { Name: `${prefix}/buckets/standardized`, Value: lake.buckets.standardized },
    { Name: `${prefix}/buckets/results`, Value: lake.buckets.results },
    { Name: `${prefix}/transform/dead-letter-queue-url`, Value: DLQ },
    { Name: `${prefix}/curation/state-machine-arn`, Value: STATE_MACHINE },
    { Name: `${prefix}/workgroups/analyst`, Value: 'acme-dev-finance-analyst' },
  ] });
  mocks.sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
  mocks.sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${RUN_ID}` });
  mocks.sfn.on(DescribeExecutionCommand).resolvesOnce({ status: 'RUNNING' }).resolves({ status: 'SUCCEEDED' });
  const queries = ['fx_cross_history', 'moving_averages', 'top_movers'];
  mocks.athena.on(ListNamedQueriesCommand).resolves({ NamedQueryIds: queries.map((name) => `id-${name}`) });
  mocks.athena.on(BatchGetNamedQueryCommand).resolves({ NamedQueries: queries.map((name) => ({ Name: name, NamedQueryId: `id-${name}`, Database: 'acme_dev_finance_enriched', QueryString: `SELECT 1 -- ${name}` })) });
  mocks.athena.on(StartQueryExecutionCommand).callsFake(async (input: { QueryString: string }) => {
    const name = /-- (\w+)/.exec(input.QueryString)![1];
    // Athena writes a result object per query; the run must remove it.
    await lake.s3.send(new PutObjectCommand({ Bucket: lake.buckets.results, Key: `acme-dev-finance-analyst/q-${name}.csv`, Body: '"x"\n"1"\n' }));
    await lake.s3.send(new PutObjectCommand({ Bucket: lake.buckets.results, Key: `acme-dev-finance-analyst/q-${name}.csv.metadata`, Body: 'meta' }));
    return { QueryExecutionId: `q-${name}` };
  });
  mocks.athena.on(GetQueryExecutionCommand).callsFake(async (input: { QueryExecutionId: string }) => ({ QueryExecution: {
    QueryExecutionId: input.QueryExecutionId,
    Status: { State: 'SUCCEEDED' },
    Statistics: { DataScannedInBytes: 1536 },
    ResultConfiguration: { OutputLocation: `s3://${lake.buckets.results}/acme-dev-finance-analyst/${input.QueryExecutionId}.csv` },
  } }));
  mocks.athena.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [{ Data: [{ VarCharValue: 'x' }] }, { Data: [{ VarCharValue: '1' }] }, { Data: [{ VarCharValue: '2' }] }] } });
  return { clients, mocks };
}

async function smoke(lake: EmbeddedLake, options: { keep?: boolean; transformTimeoutMs?: number; change?: (mocks: Mocks) => void } = {}): Promise<{ report: SmokeReport; mocks: Mocks; progress: string[] }> {
  const { clients, mocks } = deployedServices(lake);
  options.change?.(mocks);
  const progress: string[] = [];
  const report = await runSmoke({
    target, runId: RUN_ID, keep: options.keep ?? false, samplesDir: path.join(ROOT, 'samples', 'finance'),
    timeoutsMs: { transform: options.transformTimeoutMs ?? 20_000, curation: 10_000, query: 10_000 },
    intervalsMs: { transform: 50, curation: 10, query: 10 },
  }, { clients: { ...clients, s3: lake.s3 }, timing: realTiming, progress: (line) => progress.push(line) });
  await lake.settled();
  return { report, mocks, progress };
}

const rows = (report: SmokeReport) => report.steps.map((step) => [step.step, step.status]);

describe('smoke run against the embedded S3 endpoint', () => {
  let lake: EmbeddedLake;
  afterEach(async () => { await lake.stop(); });

  test('passes on a working lake, predicts the transform\'s exact keys, and removes everything it caused', async () => {
    lake = await startEmbeddedLake({ lob: target.lob });
    const { report, mocks } = await smoke(lake);
    expect(rows(report)).toEqual([
      ['parameters', 'PASS'], ['upload', 'PASS'], ['transform', 'PASS'], ['curation', 'PASS'], ['named queries', 'PASS'],
      ['query fx_cross_history', 'PASS'], ['query moving_averages', 'PASS'], ['query top_movers', 'PASS'],
      ['cleanup', 'PASS'], ['cleanup', 'PASS'], ['cleanup', 'PASS'],
    ]);
    expect(report.passed).toBe(true);
    // The unreadable sample is not uploaded; the three readable ones are, under the run's names.
    expect([...lake.invoked].sort()).toEqual([
      `landing/fx_rates/${RUN_ID}-2024-01.json`, `landing/stock_prices/${RUN_ID}-2024-01-02.csv`, `landing/stock_prices/${RUN_ID}-2024-01-03.csv.gz`,
    ]);
    const upload = report.steps.find((step) => step.step === 'upload')!;
    expect(upload).toMatchObject({ resource: `s3://${lake.buckets.raw}`, detail: expect.stringContaining(`3 files as landing/<dataset>/${RUN_ID}-<file>; skipped fx_rates/truncated.json (unreadable on purpose`) });
    // Parquet per date partition plus quarantine parts, and a manifest per object, as the real handler wrote them.
    expect(report.steps.find((step) => step.step === 'transform')!.detail).toMatch(/^9 objects \(4 Parquet, 2 quarantine, 3 manifests\) in .+; dead-letter queue 0 -> 0$/);
    expect(report.steps.find((step) => step.step === 'query top_movers')!.detail).toMatch(/^2 rows, 1\.5 KB scanned in /);
    expect(report.steps.filter((step) => step.step === 'cleanup').map((step) => [step.resource, step.detail])).toEqual([
      [`s3://${lake.buckets.raw}`, 'removed 3 objects'],
      // 9 outputs and the 3 sources' outputs records.
      [`s3://${lake.buckets.standardized}`, 'removed 12 objects'],
      [`s3://${lake.buckets.results}`, 'removed 6 objects'],
    ]);
    for (const bucket of Object.values(lake.buckets)) expect(await lake.keys(bucket)).toEqual([]);
    expect(mocks.sfn.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({ stateMachineArn: STATE_MACHINE, name: RUN_ID });
    expect(mocks.athena.commandCalls(StartQueryExecutionCommand).map((call) => call.args[0].input.WorkGroup)).toEqual(Array(3).fill('acme-dev-finance-analyst'));
  });

  test('--keep leaves the samples and their outputs, and other objects are never touched', async () => {
    lake = await startEmbeddedLake({ lob: target.lob });
    await lake.s3.send(new PutObjectCommand({ Bucket: lake.buckets.standardized, Key: 'stock_prices/date=2024-01-02/part-someone-else-00000.parquet', Body: 'x' }));
    const { report } = await smoke(lake, { keep: true });
    expect(report.passed).toBe(true);
    expect(report.steps.filter((step) => step.step === 'cleanup').map((step) => step.status)).toEqual(['SKIP', 'SKIP', 'SKIP']);
    const standardized = await lake.keys(lake.buckets.standardized);
    expect(standardized).toHaveLength(13);
    expect(standardized).toEqual(expect.arrayContaining([
      'stock_prices/date=2024-01-02/part-someone-else-00000.parquet',
      expect.stringMatching(/^stock_prices\/date=2024-01-03\/part-[0-9a-f]{20}-00000\.parquet$/),
      expect.stringMatching(/^quarantine\/fx_rates\/part-[0-9a-f]{20}-00000\.jsonl$/),
      expect.stringMatching(/^manifests\/fx_rates\/\d{4}-\d{2}-\d{2}\/[0-9a-f]{20}\.json$/),
      expect.stringMatching(/^outputs\/fx_rates\/[0-9a-f]{20}\.json$/),
    ]));
    expect(await lake.keys(lake.buckets.raw)).toHaveLength(3);
  });

  test('a transform that never runs: the wait times out naming the missing keys, later steps are skipped, raw is cleaned', async () => {
    lake = await startEmbeddedLake({ lob: target.lob, transform: false });
    const { report, mocks, progress } = await smoke(lake, { transformTimeoutMs: 400 });
    expect(report.passed).toBe(false);
    expect(rows(report)).toEqual([
      ['parameters', 'PASS'], ['upload', 'PASS'], ['transform', 'FAIL'], ['curation', 'SKIP'], ['named queries', 'SKIP'],
      ['cleanup', 'PASS'], ['cleanup', 'PASS'],
    ]);
    const failed = report.steps.find((step) => step.step === 'transform')!;
    expect(failed.resource).toBe(`s3://${lake.buckets.standardized}`);
    expect(failed.detail).toMatch(/^PollTimeoutError: timed out after \d+ ms waiting for the transform's outputs in s3:\/\/acme-dev-finance-standardized; 9 of 9 missing: /);
    expect(failed.detail).toContain('manifests/fx_rates/<yyyy-mm-dd>/');
    expect(progress.some((line) => /^transform: 0\/9 outputs after /.test(line))).toBe(true);
    expect(mocks.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(await lake.keys(lake.buckets.raw)).toEqual([]);
    const table = formatReport(report.steps);
    expect(table).toMatch(/^transform +s3:\/\/acme-dev-finance-standardized +FAIL +PollTimeoutError: timed out after/m);
    expect(table).toMatch(/^curation +arn:aws:states:\S+ +SKIP +not run: transform failed$/m);
    expect(table).toMatch(/\nFAIL: transform \(s3:\/\/acme-dev-finance-standardized\): PollTimeoutError: /);
  });

  test('a transform deployed with a different dataset definition: fails early with the reason the transform gave', async () => {
    // The deployed transform reads stock_prices as nested JSON: every CSV is unreadable to it.
    const skewed = target.lob.datasets.map((dataset) => (dataset.name === 'stock_prices' ? { ...dataset, format: 'nested_json' as const, nestedKeys: ['ticker'] } : dataset));
    lake = await startEmbeddedLake({ lob: { ...target.lob, datasets: skewed } });
    const { report } = await smoke(lake);
    const failed = report.steps.find((step) => step.step === 'transform')!;
    expect(failed.status).toBe('FAIL');
    expect(failed.detail).toMatch(/^the transform could not read s3:\/\/acme-dev-finance-raw\/landing\/stock_prices\/smoke-20261122t101500z-abc123-2024-01-0[23]\.csv(\.gz)?: /);
    // The markers it wrote are the run's too, and are removed.
    expect(await lake.keys(lake.buckets.standardized)).toEqual([]);
  });

  test('a dead-letter queue it cannot read stops the run before anything is uploaded', async () => {
    lake = await startEmbeddedLake({ lob: target.lob });
    const { report } = await smoke(lake, {
      change: (mocks) => mocks.sqs.on(GetQueueAttributesCommand).rejects(Object.assign(new Error('Access to the resource is denied.'), { name: 'AccessDenied' })),
    });
    expect(report.steps.find((step) => step.step === 'upload')).toEqual({
      step: 'upload', resource: `s3://${lake.buckets.raw}`, status: 'FAIL', detail: `dead-letter queue ${DLQ}: AccessDenied: Access to the resource is denied.`,
    });
    expect(report.steps.at(-1)).toEqual({ step: 'cleanup', resource: '-', status: 'SKIP', detail: 'nothing was uploaded' });
    expect(await lake.keys(lake.buckets.raw)).toEqual([]);
  });

  test('new dead-letter messages fail the transform step with the counts', async () => {
    lake = await startEmbeddedLake({ lob: target.lob, transform: false });
    const { report } = await smoke(lake, {
      change: (mocks) => mocks.sqs.on(GetQueueAttributesCommand).resolvesOnce({ Attributes: { ApproximateNumberOfMessages: '2' } }).resolves({ Attributes: { ApproximateNumberOfMessages: '3' } }),
    });
    const failed = report.steps.find((step) => step.step === 'transform')!;
    expect(failed).toMatchObject({ status: 'FAIL', resource: `s3://${lake.buckets.standardized}` });
    expect(failed.detail).toContain('1 new message(s) in the dead-letter queue (2 before, 3 now)');
  });

  test('an AWS error names the step, the resource and the service\'s message; queries run independently', async () => {
    lake = await startEmbeddedLake({ lob: target.lob });
    const { report } = await smoke(lake, {
      change: (mocks) => {
        const denied = Object.assign(new Error('User: arn:aws:sts::111111111111:assumed-role/dev/me is not authorized to perform: athena:StartQueryExecution'), { name: 'AccessDeniedException' });
        mocks.athena.on(StartQueryExecutionCommand, { QueryString: 'SELECT 1 -- moving_averages' }).rejects(denied);
      },
    });
    expect(report.passed).toBe(false);
    expect(report.steps.find((step) => step.step === 'query moving_averages')).toEqual({
      step: 'query moving_averages', resource: 'athena:acme-dev-finance-analyst', status: 'FAIL',
      detail: 'AccessDeniedException: User: arn:aws:sts::111111111111:assumed-role/dev/me is not authorized to perform: athena:StartQueryExecution',
    });
    expect(report.steps.find((step) => step.step === 'query top_movers')!.status).toBe('PASS');
    expect(formatReport(report.steps)).toContain('FAIL: query moving_averages (athena:acme-dev-finance-analyst): AccessDeniedException: User:');
  });
});

describe('waiting for an object\'s manifest', () => {
  const stockPrices = target.lob.datasets.find((dataset) => dataset.name === 'stock_prices')!;
  const csv = Buffer.from('ticker,date,open,high,low,close,adj_close,volume\nAAPL,2024-01-02,1,1,1,1,1,1\n');

  test('its folder may be any UTC day from the first upload to now, widened by an hour for this machine\'s clock', async () => {
    const expected = await expectedOutputs(stockPrices, { bucket: 'raw', key: landingKey('stock_prices', 'x.csv'), version: 'v1' }, csv, writerSettingsOf(target.lob));
    const keys = (from: string, to: string) => manifestKeys('stock_prices', expected, { from: new Date(from), to: new Date(to) });
    expect(keys('2026-11-22T10:15:00Z', '2026-11-22T10:25:00Z')).toEqual([`manifests/stock_prices/2026-11-22/${expected.sourceId}.json`]);
    expect(keys('2026-11-22T23:50:00Z', '2026-11-23T00:20:00Z').map((key) => key.split('/')[2])).toEqual(['2026-11-22', '2026-11-23']);
    expect(keys('2026-11-22T00:30:00Z', '2026-11-22T23:30:00Z').map((key) => key.split('/')[2])).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
    expect(manifestKeys('stock_prices', { ...expected, unreadable: 'binary content' }, { from: new Date(), to: new Date() })).toEqual([]);
  });

  test('the data files alone do not end the wait: the manifest, written last, does', async () => {
    const lake = await startEmbeddedLake({ lob: target.lob, transform: false });
    try {
      const sqs = new SQSClient({ region: 'eu-west-1' });
      mockClient(sqs).on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
      const source = { bucket: lake.buckets.raw, key: landingKey('stock_prices', 'x.csv'), version: 'v1' };
      const expected = await expectedOutputs(stockPrices, source, csv, writerSettingsOf(target.lob));
      for (const key of expected.keys) await lake.s3.send(new PutObjectCommand({ Bucket: lake.buckets.standardized, Key: key, Body: 'x' }));
      // A run that began before midnight and is still waiting after it.
      const uploadsStarted = new Date('2026-11-22T23:58:00Z');
      const wait = (timeoutMs: number) => waitForTransform({
        s3: lake.s3, sqs, standardizedBucket: lake.buckets.standardized, deadLetterQueueUrl: DLQ, deadLettersBefore: 0,
        targets: [{ dataset: 'stock_prices', source: `s3://${source.bucket}/${source.key}`, expected }],
        uploadsStarted, clock: () => new Date('2026-11-23T00:03:00Z'), timing: realTiming, timeoutMs, intervalMs: 20,
      });
      await expect(wait(150)).rejects.toThrow(`1 of 2 missing: manifests/stock_prices/<yyyy-mm-dd>/${expected.sourceId}.json`);
      await lake.s3.send(new PutObjectCommand({ Bucket: lake.buckets.standardized, Key: manifestKey('stock_prices', new Date('2026-11-22T23:59:30Z'), expected.sourceId), Body: '{}' }));
      await expect(wait(5_000)).resolves.toMatchObject({ expected: 2, found: [...expected.keys, `manifests/stock_prices/2026-11-22/${expected.sourceId}.json`].sort() });
    } finally {
      await lake.stop();
    }
  });
});

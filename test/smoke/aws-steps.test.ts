/**
 * The steps that talk to SSM, Step Functions and Athena (and S3 versioning, which the embedded
 * endpoint lacks), against aws-sdk-client-mock: terminal states, throttling, timeouts, and the
 * messages a failure carries.
 */
import {
  AthenaClient, BatchGetNamedQueryCommand, GetQueryExecutionCommand, GetQueryResultsCommand, ListNamedQueriesCommand, StartQueryExecutionCommand, StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { DeleteObjectsCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { formatBytes, namedQueriesOf, runNamedQuery } from '../../tools/smoke/athena-queries';
import { runCuration } from '../../tools/smoke/curation';
import { readLakeResources } from '../../tools/smoke/parameters';
import { removeUnder } from '../../tools/smoke/s3-objects';
import { awsError, fakeTiming } from './fake-timing';

const ARN = 'arn:aws:states:eu-west-1:111111111111:stateMachine:acme-dev-finance-curation';
const EXECUTION = 'arn:aws:states:eu-west-1:111111111111:execution:acme-dev-finance-curation:smoke-1';

describe('curation run', () => {
  const sfn = new SFNClient({ region: 'eu-west-1' });
  const mock = mockClient(sfn);
  beforeEach(() => { mock.reset(); mock.on(StartExecutionCommand).resolves({ executionArn: EXECUTION }); });
  const run = (timeoutMs = 3_600_000) => {
    const timing = fakeTiming();
    const progress: string[] = [];
    return { timing, progress, result: runCuration({ sfn, stateMachineArn: ARN, name: 'smoke-1', timing, timeoutMs, intervalMs: 15_000, progress: (line) => progress.push(line) }) };
  };

  test('starts an execution named after the run and waits through RUNNING to SUCCEEDED', async () => {
    mock.on(DescribeExecutionCommand).resolvesOnce({ status: 'RUNNING' }).resolvesOnce({ status: 'RUNNING' }).resolves({ status: 'SUCCEEDED' });
    const { result, timing, progress } = run();
    await expect(result).resolves.toEqual({ executionArn: EXECUTION, elapsedMs: 30_000 });
    expect(mock.commandCalls(StartExecutionCommand)[0].args[0].input).toEqual({ stateMachineArn: ARN, name: 'smoke-1' });
    expect(timing.sleeps).toEqual([15_000, 15_000]);
    expect(progress).toEqual(['curation: RUNNING after 0 ms (timeout 60m 00s)', 'curation: RUNNING after 15 s (timeout 60m 00s)']);
  });

  test.each([
    ['FAILED', { error: 'States.TaskFailed', cause: 'Glue job acme-dev-finance-dq-stock_prices failed: Rule RowCount > 0 failed' }, 'execution smoke-1 ended FAILED: States.TaskFailed: Glue job acme-dev-finance-dq-stock_prices failed: Rule RowCount > 0 failed'],
    ['TIMED_OUT', { error: 'States.Timeout' }, 'execution smoke-1 ended TIMED_OUT: States.Timeout'],
    ['ABORTED', {}, 'execution smoke-1 ended ABORTED: no error or cause recorded'],
  ])('an execution that ends %s fails with its error and cause', async (status, details, message) => {
    mock.on(DescribeExecutionCommand).resolvesOnce({ status: 'RUNNING' }).resolves({ status: status as 'FAILED', ...details });
    await expect(run().result).rejects.toThrow(`${message} (${EXECUTION})`);
  });

  test('a long cause is cut short', async () => {
    mock.on(DescribeExecutionCommand).resolves({ status: 'FAILED', error: 'E', cause: 'x'.repeat(5_000) });
    const error: Error = await run().result.catch((e) => e);
    expect(error.message.length).toBeLessThan(800);
    expect(error.message).toContain('x…');
  });

  test('times out while still running, naming the execution to stop', async () => {
    mock.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    await expect(run(60_000).result).rejects.toThrow(`timed out after 1m 00s waiting for curation execution ${EXECUTION}; still RUNNING; it keeps running (aws stepfunctions stop-execution --execution-arn ${EXECUTION} stops it)`);
  });

  test('throttled starts and looks are retried, not failed', async () => {
    mock.on(StartExecutionCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves({ executionArn: EXECUTION });
    mock.on(DescribeExecutionCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves({ status: 'SUCCEEDED' });
    const { result, timing } = run();
    await expect(result).resolves.toMatchObject({ executionArn: EXECUTION });
    expect(timing.sleeps).toEqual([1_000, 30_000]);
  });

  test('a refused start fails with the service\'s error', async () => {
    mock.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists', 'Execution Already Exists: smoke-1'));
    await expect(run().result).rejects.toMatchObject({ name: 'ExecutionAlreadyExists', message: 'Execution Already Exists: smoke-1' });
  });
});

describe('Athena named queries', () => {
  const athena = new AthenaClient({ region: 'eu-west-1' });
  const mock = mockClient(athena);
  const query = { Name: 'top_movers', Database: 'acme_dev_finance_enriched', QueryString: 'SELECT 1', NamedQueryId: 'n1', WorkGroup: 'wg' };
  beforeEach(() => {
    mock.reset();
    mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    mock.on(GetQueryResultsCommand).resolves({ ResultSet: { Rows: [{ Data: [{ VarCharValue: 'ticker' }] }, { Data: [{ VarCharValue: 'NVDA' }] }] } });
  });
  const run = (timeoutMs = 300_000) => runNamedQuery(query, { athena, workgroup: 'wg', timing: fakeTiming(), timeoutMs, intervalMs: 1_000 });

  test('lists every page of the workgroup\'s named queries and reads them in batches of 50', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `id-${String(i).padStart(2, '0')}`);
    mock.on(ListNamedQueriesCommand).resolvesOnce({ NamedQueryIds: ids.slice(0, 50), NextToken: 't' }).resolves({ NamedQueryIds: ids.slice(50) });
    mock.on(BatchGetNamedQueryCommand).callsFake(async (input: { NamedQueryIds: string[] }) => ({ NamedQueries: input.NamedQueryIds.map((id) => ({ Name: `q-${id}`, NamedQueryId: id, Database: 'd', QueryString: 's' })) }));
    const queries = await namedQueriesOf(athena, 'wg', fakeTiming());
    expect(queries).toHaveLength(60);
    expect(mock.commandCalls(ListNamedQueriesCommand).map((call) => call.args[0].input)).toEqual([{ WorkGroup: 'wg', NextToken: undefined }, { WorkGroup: 'wg', NextToken: 't' }]);
    expect(mock.commandCalls(BatchGetNamedQueryCommand).map((call) => call.args[0].input.NamedQueryIds!.length)).toEqual([50, 10]);
  });

  test('a named query that cannot be read is an error', async () => {
    mock.on(ListNamedQueriesCommand).resolves({ NamedQueryIds: ['a'] });
    mock.on(BatchGetNamedQueryCommand).resolves({ UnprocessedNamedQueryIds: [{ NamedQueryId: 'a', ErrorCode: 'AccessDenied', ErrorMessage: 'no' }] });
    await expect(namedQueriesOf(athena, 'wg', fakeTiming())).rejects.toThrow('could not read named queries a (AccessDenied: no)');
  });

  test('runs the query in the workgroup with its database and reports rows and bytes scanned', async () => {
    mock.on(GetQueryExecutionCommand).resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } }).resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 1_258_291 }, ResultConfiguration: { OutputLocation: 's3://results/wg/q1.csv' } } });
    await expect(run()).resolves.toEqual({ queryExecutionId: 'q1', rows: 1, more: false, bytesScanned: 1_258_291, outputLocation: 's3://results/wg/q1.csv', elapsedMs: 2_000 });
    expect(mock.commandCalls(StartQueryExecutionCommand)[0].args[0].input).toEqual({ QueryString: 'SELECT 1', QueryExecutionContext: { Database: 'acme_dev_finance_enriched' }, WorkGroup: 'wg' });
    expect(formatBytes(1_258_291)).toBe('1.2 MB');
  });

  test.each([
    ['FAILED', { AthenaError: { ErrorMessage: 'TABLE_NOT_FOUND: line 2:6: Table \'acme_dev_finance_enriched.stock_metrics\' does not exist' } }, 'query top_movers FAILED: TABLE_NOT_FOUND: line 2:6: Table \'acme_dev_finance_enriched.stock_metrics\' does not exist (q1)'],
    ['CANCELLED', { StateChangeReason: 'Query cancelled: bytes scanned limit exceeded' }, 'query top_movers CANCELLED: Query cancelled: bytes scanned limit exceeded (q1)'],
  ])('a query that ends %s fails with Athena\'s reason', async (state, status, message) => {
    mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: state as 'FAILED', ...status } } });
    await expect(run()).rejects.toThrow(message);
    expect(mock.commandCalls(StopQueryExecutionCommand)).toHaveLength(0);
  });

  test('a query still running at the deadline is stopped, so it stops scanning', async () => {
    mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    mock.on(StopQueryExecutionCommand).resolves({});
    await expect(run(5_000)).rejects.toThrow('timed out after 5 s waiting for query top_movers (q1); still RUNNING, so the smoke run asks Athena to stop it');
    expect(mock.commandCalls(StopQueryExecutionCommand)[0].args[0].input).toEqual({ QueryExecutionId: 'q1' });
  });

  test('TooManyRequestsException on start is retried', async () => {
    mock.on(StartQueryExecutionCommand).rejectsOnce(awsError('TooManyRequestsException', 'Rate exceeded')).resolves({ QueryExecutionId: 'q1' });
    mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    await expect(run()).resolves.toMatchObject({ rows: 1, bytesScanned: 0 });
    expect(mock.commandCalls(StartQueryExecutionCommand)).toHaveLength(2);
  });

  test('only a header row means no rows; a next page means more', async () => {
    mock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    mock.on(GetQueryResultsCommand).resolvesOnce({ ResultSet: { Rows: [{ Data: [{ VarCharValue: 'ticker' }] }] } }).resolves({ ResultSet: { Rows: Array(1_000).fill({ Data: [] }) }, NextToken: 'n' });
    await expect(run()).resolves.toMatchObject({ rows: 0, more: false });
    await expect(run()).resolves.toMatchObject({ rows: 999, more: true });
  });
});

describe('deployed names from SSM', () => {
  const ssm = new SSMClient({ region: 'eu-west-1' });
  const mock = mockClient(ssm);
  const target = { organisation: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1', lob: 'finance', persona: 'analyst' };
  const parameter = (name: string, value = `v-${name}`) => ({ Name: `/acme/dev/finance/${name}`, Value: value });
  beforeEach(() => mock.reset());

  test('reads every page under /<org>/<env>/<lob> and picks the persona\'s workgroup', async () => {
    mock.on(GetParametersByPathCommand)
      .resolvesOnce({ Parameters: [parameter('buckets/raw', 'raw-b'), parameter('buckets/standardized', 'std-b'), parameter('buckets/results', 'res-b')], NextToken: 'n' })
      .resolves({ Parameters: [parameter('transform/dead-letter-queue-url', 'dlq'), parameter('curation/state-machine-arn', 'sm'), parameter('workgroups/analyst', 'wg-a'), parameter('workgroups/bi-reader', 'wg-b')] });
    await expect(readLakeResources(ssm, target, fakeTiming())).resolves.toEqual({
      prefix: '/acme/dev/finance', count: 7, rawBucket: 'raw-b', standardizedBucket: 'std-b', resultsBucket: 'res-b', deadLetterQueueUrl: 'dlq', stateMachineArn: 'sm', workgroup: 'wg-a',
    });
    expect(mock.commandCalls(GetParametersByPathCommand).map((call) => call.args[0].input)).toEqual([
      { Path: '/acme/dev/finance', Recursive: true, NextToken: undefined }, { Path: '/acme/dev/finance', Recursive: true, NextToken: 'n' },
    ]);
  });

  test('nothing deployed: says which account and region the credentials should be for', async () => {
    mock.on(GetParametersByPathCommand).resolves({ Parameters: [] });
    await expect(readLakeResources(ssm, target, fakeTiming())).rejects.toThrow('no parameters under /acme/dev/finance: deploy dev/finance-* first, and check that your credentials are for account 111111111111 in eu-west-1');
  });

  test('a stack not deployed yet: names every missing parameter', async () => {
    mock.on(GetParametersByPathCommand).resolves({ Parameters: [parameter('buckets/raw'), parameter('buckets/standardized'), parameter('buckets/results'), parameter('transform/dead-letter-queue-url')] });
    await expect(readLakeResources(ssm, target, fakeTiming())).rejects.toThrow('missing /acme/dev/finance/curation/state-machine-arn, /acme/dev/finance/workgroups/analyst: deploy the stacks that publish them (dev/finance-*)');
  });
});

describe('removing a run\'s objects from a versioned bucket', () => {
  const s3 = new S3Client({ region: 'eu-west-1' });
  const mock = mockClient(s3);
  beforeEach(() => mock.reset());

  test('deletes every version and delete marker under the run\'s prefixes, following pages', async () => {
    mock.on(ListObjectVersionsCommand, { Prefix: 'landing/a/smoke-1-x.csv' })
      .resolvesOnce({ Versions: [{ Key: 'landing/a/smoke-1-x.csv', VersionId: 'v2' }], IsTruncated: true, NextKeyMarker: 'k', NextVersionIdMarker: 'v2' })
      .resolves({ Versions: [{ Key: 'landing/a/smoke-1-x.csv', VersionId: 'v1' }], DeleteMarkers: [{ Key: 'landing/a/smoke-1-x.csv', VersionId: 'd1' }] });
    mock.on(ListObjectVersionsCommand, { Prefix: 'landing/a/smoke-1-y.csv' }).resolves({});
    mock.on(DeleteObjectsCommand).resolves({});
    await expect(removeUnder(s3, 'raw', ['landing/a/smoke-1-x.csv', 'landing/a/smoke-1-y.csv'], { allVersions: true, timing: fakeTiming() })).resolves.toEqual(['landing/a/smoke-1-x.csv']);
    expect(mock.commandCalls(ListObjectVersionsCommand)[1].args[0].input).toMatchObject({ KeyMarker: 'k', VersionIdMarker: 'v2' });
    expect(mock.commandCalls(DeleteObjectsCommand)[0].args[0].input).toEqual({ Bucket: 'raw', Delete: { Quiet: true, Objects: [
      { Key: 'landing/a/smoke-1-x.csv', VersionId: 'v2' }, { Key: 'landing/a/smoke-1-x.csv', VersionId: 'v1' }, { Key: 'landing/a/smoke-1-x.csv', VersionId: 'd1' },
    ] } });
  });

  test('a version S3 refuses to delete fails the cleanup with its key and S3\'s message', async () => {
    mock.on(ListObjectVersionsCommand).resolves({ Versions: [{ Key: 'k', VersionId: 'v1' }] });
    mock.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'k', VersionId: 'v1', Code: 'AccessDenied', Message: 'Access Denied' }] });
    await expect(removeUnder(s3, 'raw', ['k'], { allVersions: true, timing: fakeTiming() })).rejects.toThrow('could not remove from s3://raw: k (version v1): AccessDenied: Access Denied');
  });
});

/**
 * The real pull handler against a loopback API server (api-server.ts) and the embedded S3 endpoint:
 * what is written where, what is kept under errors/ and why, retries, catch-up of missed periods,
 * pagination, and that the secret never reaches a log line or an object.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { type ApiPullSpec, apiErrorKeys, apiPageKey, apiStateKey } from '../../contract/api-source';
import { toEnvironment } from '../../contract/pull-settings';
import type * as HandlerModule from '../../lambda/pull/handler';
import { type EmbeddedS3, startEmbeddedS3 } from '../../tools/local/embedded-lake';
import { API_KEY, type ApiServer, startApiServer } from '../helpers/api-server';

const RAW = 'acme-test-finance-raw';
const SECRET_VARIABLE = 'LAKEWORKS_TEST_API_KEY';

let lake: EmbeddedS3;
let api: ApiServer;
let handler: typeof HandlerModule.handler;
const logged: string[] = [];

function spec(overrides: Partial<ApiPullSpec>): ApiPullSpec {
  return {
    dataset: 'stock_prices', format: 'json', url: `${api.url}/query?function=TIME_SERIES_DAILY&symbol={symbol}&date={period}&apikey={secret}`, headers: {},
    parameters: { symbol: ['IBM'] }, errorFields: ['Note', 'Information', 'Error Message'], requestsPerMinute: 6000, maxAttempts: 4, retryBaseMs: 20,
    requestTimeoutSeconds: 5, catchUpPeriods: 7, maxPages: 10, ...overrides,
  };
}

async function pull(pullSpec: ApiPullSpec, time = '2024-01-02T22:00:00Z') {
  Object.assign(process.env, toEnvironment({ rawBucket: RAW, spec: pullSpec, secret: { variable: SECRET_VARIABLE }, s3Endpoint: lake.endpoint }));
  return handler({ time }, { getRemainingTimeInMillis: () => 120_000 });
}

async function text(key: string): Promise<string> {
  const object = await lake.s3.send(new GetObjectCommand({ Bucket: RAW, Key: key }));
  return object.Body!.transformToString();
}

beforeAll(async () => {
  lake = await startEmbeddedS3({ directory: fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-pull-')), region: 'eu-west-1', buckets: [RAW] });
  api = await startApiServer();
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', [SECRET_VARIABLE]: API_KEY,
    POWERTOOLS_DEV: 'true', POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_DISABLED: 'false',
  });
  // Powertools in dev mode writes through console, metrics (EMF) too: everything it prints is kept.
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => { logged.push(args.map(String).join(' ')); });
  }
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { logged.push(String(chunk)); return true; });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ({ handler } = require('../../lambda/pull/handler') as typeof HandlerModule);
});

afterAll(async () => {
  jest.restoreAllMocks();
  await api.close();
  await lake.stop();
});

test('writes each response as received under a key of its request; a repeated run overwrites the same key', async () => {
  const pullSpec = spec({ parameters: { symbol: ['IBM', 'MSFT'] } });
  const summary = await pull(pullSpec);
  expect(summary).toMatchObject({ requests: 2, pagesWritten: 2, errorsKept: 0, gaveUp: 0, retries: 0 });
  const ibm = apiPageKey(pullSpec, { symbol: 'IBM' }, '2024-01-02', 1);
  expect(ibm).toBe('landing/stock_prices/api/symbol=IBM/2024-01-02/page-0001.json');
  expect(JSON.parse(await text(ibm))['Meta Data']['2. Symbol']).toBe('IBM');
  expect(JSON.parse(await text(apiStateKey('stock_prices')))).toEqual({ lastComplete: { 'symbol=IBM': '2024-01-02', 'symbol=MSFT': '2024-01-02' } });
  // The same run again has nothing left to pull; a forced repeat (state removed) writes the same keys.
  expect(await pull(pullSpec)).toMatchObject({ requests: 0 });
  await lake.s3.send(new PutObjectCommand({ Bucket: RAW, Key: apiStateKey('stock_prices'), Body: '{"lastComplete":{}}' }));
  const before = (await lake.keys(RAW)).filter((key) => key.startsWith('landing/'));
  await pull(pullSpec);
  expect((await lake.keys(RAW)).filter((key) => key.startsWith('landing/'))).toEqual(before);
});

test('catches up the periods a parameter set missed, oldest first, at most catchUpPeriods', async () => {
  const pullSpec = spec({ dataset: 'fx_rates', parameters: { symbol: ['EUR'] }, catchUpPeriods: 3 });
  await lake.s3.send(new PutObjectCommand({ Bucket: RAW, Key: apiStateKey('fx_rates'), Body: JSON.stringify({ lastComplete: { 'symbol=EUR': '2024-01-01' } }) }));
  const summary = await pull(pullSpec, '2024-01-07T22:00:00Z');
  expect(summary.completed).toEqual({ 'symbol=EUR': ['2024-01-02', '2024-01-03', '2024-01-04'] });
  expect(summary.periodsCaughtUp).toBe(3);
  const next = await pull(pullSpec, '2024-01-07T22:00:00Z');
  expect(next.completed).toEqual({ 'symbol=EUR': ['2024-01-05', '2024-01-06', '2024-01-07'] });
  expect(next.periodsCaughtUp).toBe(2);
  expect((await lake.keys(RAW)).filter((key) => key.startsWith('landing/fx_rates/'))).toHaveLength(6);
});

test('429 waits for Retry-After; 5xx retries with backoff; both then write the data', async () => {
  const started = api.requests.length;
  const summary = await pull(spec({ dataset: 'retried', parameters: { symbol: ['SLOW', 'FLAKY'] } }));
  expect(summary).toMatchObject({ pagesWritten: 2, retries: 3, errorsKept: 0, gaveUp: 0 });
  const slow = api.requests.slice(started).map((request, index) => [request, api.times[started + index]] as const).filter(([request]) => request.includes('SLOW'));
  expect(slow).toHaveLength(2);
  expect(slow[1][1] - slow[0][1]).toBeGreaterThanOrEqual(950);
  expect(api.requests.slice(started).filter((request) => request.includes('FLAKY'))).toHaveLength(3);
});

test.each([
  ['NOTE', /"Note" field reports an error: Thank you for using Alpha Vantage/],
  ['HTML', /an HTML or XML page \(content type text\/html\)/],
  ['TRUNC', /not valid JSON \(a truncated response\?\)/],
])('a 200 that is not data (%s) is kept under errors/ with its reason, not written, and not marked complete', async (symbol, reason) => {
  const dataset = `bad_${symbol.toLowerCase()}`;
  const summary = await pull(spec({ dataset, parameters: { symbol: [symbol] } }));
  expect(summary).toMatchObject({ pagesWritten: 0, errorsKept: 1 });
  const keys = apiErrorKeys(dataset, { symbol }, '2024-01-02', 1);
  const kept = JSON.parse(await text(keys.reason));
  expect(kept).toMatchObject({ status: 200, period: '2024-01-02', parameters: { symbol }, page: 1 });
  expect(kept.reason).toMatch(reason);
  expect(kept.url).toContain('apikey=***');
  expect((await text(keys.body)).length).toBeGreaterThan(0);
  expect((await lake.keys(RAW)).filter((key) => key.startsWith(`landing/${dataset}/`))).toEqual([]);
  expect(JSON.parse(await text(apiStateKey(dataset)).catch(() => '{"lastComplete":{}}')).lastComplete).toEqual({});
});

test('a pull that keeps failing gives up, is counted and logged, and the next run asks again', async () => {
  const pullSpec = spec({ dataset: 'down', parameters: { symbol: ['DOWN'] }, maxAttempts: 3 });
  const summary = await pull(pullSpec);
  expect(summary).toMatchObject({ gaveUp: 1, retries: 2, pagesWritten: 0 });
  expect(logged.some((line) => line.includes('gave up') && line.includes('HTTP 500 after 3 attempts'))).toBe(true);
  expect(logged.some((line) => line.includes('"ApiPullsGaveUp"'))).toBe(true);
  expect((await pull(pullSpec)).requests).toBe(1);
});

test('follows next links page by page; a bearer header carries the secret', async () => {
  const pullSpec = spec({
    dataset: 'items', url: `${api.url}/items?page=1&date={period}`, headers: { Authorization: 'Bearer {secret}' }, parameters: {}, pagination: { nextUrl: ['links', 'next'] },
  });
  const summary = await pull(pullSpec);
  expect(summary).toMatchObject({ pagesWritten: 3, requests: 3 });
  expect((await lake.keys(RAW)).filter((key) => key.startsWith('landing/items/'))).toEqual([1, 2, 3].map((page) => `landing/items/api/2024-01-02/page-000${page}.json`));
  expect(JSON.parse(await text('landing/items/api/2024-01-02/page-0003.json')).data).toEqual([{ id: 31 }, { id: 32 }]);
  expect(JSON.parse(await text(apiStateKey('items')))).toEqual({ lastComplete: { '-': '2024-01-02' } });
});

test('the secret never appears in a log line or an error object', async () => {
  expect(logged.length).toBeGreaterThan(10);
  expect(logged.filter((line) => line.includes(API_KEY))).toEqual([]);
  for (const key of (await lake.keys(RAW)).filter((candidate) => candidate.startsWith('errors/'))) expect(await text(key)).not.toContain(API_KEY);
});

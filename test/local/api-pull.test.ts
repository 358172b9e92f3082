/**
 * Local mode's API pull: `npm run local -- --pull <dataset> --api-url <url> --secret-env <VAR>`
 * runs the real pull handler against a loopback API (test/helpers/api-server.ts), then the
 * transform turns the responses into rows. The sample config is used as it ships: its API sources
 * declare how Alpha Vantage's TIME_SERIES_DAILY and FX_DAILY documents read, while the datasets
 * keep the CSV and nested JSON formats of their uploaded files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLocal } from '../../tools/local/run-local';
import { API_KEY, type ApiServer, startApiServer } from '../helpers/api-server';

const ROOT = path.join(__dirname, '..', '..');
const SAMPLE_CONFIG = path.join(ROOT, 'config');
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

let api: ApiServer;
beforeAll(async () => { api = await startApiServer(); });
afterAll(async () => { await api.close(); });

test('pulls every symbol from the named URL into the local lake, and the transform writes their rows', async () => {
  const out = tmp('lakeworks-api-out-');
  process.env.LAKEWORKS_TEST_ALPHA_KEY = API_KEY;
  try {
    const summary = await runLocal({
      lob: 'finance', out, configDir: SAMPLE_CONFIG, workDir: tmp('lakeworks-work-'), through: 'transform',
      apiPull: { dataset: 'stock_prices', url: `${api.url}/query?function=TIME_SERIES_DAILY&symbol={symbol}&apikey={secret}`, secretVariable: 'LAKEWORKS_TEST_ALPHA_KEY', time: new Date('2024-01-02T22:00:00Z') },
    });
    expect(summary.apiPulled).toMatchObject({ dataset: 'stock_prices', pagesWritten: 5, errorsKept: 0, gaveUp: 0 });
    expect(summary.objects).toEqual(expect.arrayContaining(['raw/landing/stock_prices/api/symbol=IBM/2024-01-02/page-0001.json', 'raw/state/api/stock_prices.json']));
    expect(summary.datasets.stock_prices).toEqual({ read: 5, written: 5, quarantined: 0 });
    expect(api.requests.filter((request) => request.startsWith('/query'))).toHaveLength(5);
  } finally {
    delete process.env.LAKEWORKS_TEST_ALPHA_KEY;
  }
});

test('pulls each currency pair of FX_DAILY, and the transform writes a row per pair and day', async () => {
  process.env.LAKEWORKS_TEST_ALPHA_KEY = API_KEY;
  try {
    const summary = await runLocal({
      lob: 'finance', out: tmp('lakeworks-api-out-'), configDir: SAMPLE_CONFIG, workDir: tmp('lakeworks-work-'), through: 'transform',
      apiPull: { dataset: 'fx_rates', url: `${api.url}/query?function=FX_DAILY&from_symbol={from}&to_symbol={to}&apikey={secret}`, secretVariable: 'LAKEWORKS_TEST_ALPHA_KEY', time: new Date('2024-01-04T23:00:00Z') },
    });
    expect(summary.apiPulled).toMatchObject({ dataset: 'fx_rates', pagesWritten: 2, errorsKept: 0, gaveUp: 0 });
    expect(summary.objects).toContain('raw/landing/fx_rates/api/from=GBP/to=USD/2024-01-04/page-0001.json');
    // Two pairs, three days each (the loopback API answers every pair with the same bars).
    expect(summary.datasets.fx_rates).toEqual({ read: 6, written: 6, quarantined: 0 });
  } finally {
    delete process.env.LAKEWORKS_TEST_ALPHA_KEY;
  }
});

test('a URL with an unknown placeholder or a secret without its variable is refused before anything runs', async () => {
  const options = { lob: 'finance', out: tmp('lakeworks-api-out-'), configDir: path.join(ROOT, 'config'), workDir: tmp('lakeworks-work-'), through: 'transform' as const };
  await expect(runLocal({ ...options, apiPull: { dataset: 'stock_prices', url: `${api.url}/query?symbol={ticker}` } }))
    .rejects.toThrow('--api-url: unknown placeholder {ticker}; expected one of {symbol}, {period}, {secret}');
  await expect(runLocal({ ...options, apiPull: { dataset: 'stock_prices', url: `${api.url}/query?symbol={symbol}&apikey={secret}`, secretVariable: 'LAKEWORKS_UNSET_VARIABLE' } }))
    .rejects.toThrow('the stock_prices request uses {secret}: name the environment variable that holds it with --secret-env');
});

/**
 * Local mode's API pull: `npm run local -- --pull <dataset> --api-url <url> --secret-env <VAR>`
 * runs the real pull handler against a loopback API (test/helpers/api-server.ts), then the
 * transform turns the responses into rows. The dataset reads Alpha Vantage's TIME_SERIES_DAILY
 * document as it comes (format json, records under "Time Series (Daily)", the ticker from
 * "Meta Data"), the configuration docs/api-sources.md gives.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { runLocal } from '../../tools/local/run-local';
import { API_KEY, type ApiServer, startApiServer } from '../helpers/api-server';

const ROOT = path.join(__dirname, '..', '..');
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** The sample config, with stock_prices reading the API's JSON documents. */
function apiConfig(): string {
  const dir = tmp('lakeworks-api-config-');
  fs.cpSync(path.join(ROOT, 'config'), dir, { recursive: true });
  const file = path.join(dir, 'lobs', 'finance.yaml');
  const finance = parse(fs.readFileSync(file, 'utf8'));
  const stock = finance.datasets.find((d: any) => d.name === 'stock_prices');
  stock.format = 'json';
  stock.json = {
    recordPath: ['Time Series (Daily)', { keyAs: 'date' }],
    fields: { open: ['1. open'], high: ['2. high'], low: ['3. low'], close: ['4. close'], volume: ['5. volume'] },
    documentFields: { ticker: ['Meta Data', '2. Symbol'] },
  };
  delete stock.csv;
  fs.writeFileSync(file, stringify(finance));
  return dir;
}

let api: ApiServer;
beforeAll(async () => { api = await startApiServer(); });
afterAll(async () => { await api.close(); });

test('pulls every symbol from the named URL into the local lake, and the transform writes their rows', async () => {
  const out = tmp('lakeworks-api-out-');
  process.env.LAKEWORKS_TEST_ALPHA_KEY = API_KEY;
  try {
    const summary = await runLocal({
      lob: 'finance', out, configDir: apiConfig(), workDir: tmp('lakeworks-work-'), through: 'transform',
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

test('a URL with an unknown placeholder or a secret without its variable is refused before anything runs', async () => {
  const options = { lob: 'finance', out: tmp('lakeworks-api-out-'), configDir: path.join(ROOT, 'config'), workDir: tmp('lakeworks-work-'), through: 'transform' as const };
  await expect(runLocal({ ...options, apiPull: { dataset: 'stock_prices', url: `${api.url}/query?symbol={ticker}` } }))
    .rejects.toThrow('--api-url: unknown placeholder {ticker}; expected one of {symbol}, {period}, {secret}');
  await expect(runLocal({ ...options, apiPull: { dataset: 'stock_prices', url: `${api.url}/query?symbol={symbol}&apikey={secret}`, secretVariable: 'LAKEWORKS_UNSET_VARIABLE' } }))
    .rejects.toThrow('the stock_prices request uses {secret}: name the environment variable that holds it with --secret-env');
});

/**
 * API responses read as the source declares them, through the real transform handler on the
 * embedded S3 endpoint: the finance sample's Alpha Vantage responses (TIME_SERIES_DAILY,
 * FX_DAILY) land under `landing/<dataset>/api/…` and become typed rows, while files uploaded to
 * the same datasets keep being read as CSV and nested JSON. DuckDB reads the Parquet back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { apiPageKey } from '../../contract/api-source';
import { toEnvironment, transformSettingsOf } from '../../contract/transform-settings';
import { apiPullSpec } from '../../lib/ingest/api-pull-spec';
import { startEmbeddedS3 } from '../../tools/local/embedded-lake';
import { EUR_USD_BARS, IBM_BARS, fxDaily, timeSeriesDaily } from '../helpers/alpha-vantage';
import { parquetTypes, query } from '../helpers/duckdb';
import { sampleConfig } from '../helpers/sample-app';

const RAW = 'acme-test-finance-raw';
const STANDARDIZED = 'acme-test-finance-standardized';
const finance = sampleConfig().lobs.find((lob) => lob.name === 'finance')!;
const datasetNamed = (name: string) => finance.datasets.find((dataset) => dataset.name === name)!;
/** The key the pull writes a response to, from the sample's own source. */
const pageKey = (dataset: string, parameters: Record<string, string>, period: string) => {
  const config = datasetNamed(dataset);
  return apiPageKey(apiPullSpec(config, config.source!.api!), parameters, period, 1);
};

/** Float noise beyond the sixth place, as stock_prices' decimalRounding: round expects. */
const NOISY_CLOSE = '161.4999999237';

interface Lake {
  readonly dir: string;
  readonly keys: string[];
  readonly deadLetters: string[];
}

/** Uploads `objects` to raw, delivers each to the handler, and mirrors standardized to a folder. */
async function transformed(objects: Record<string, string>): Promise<Lake> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-api-responses-'));
  const lake = await startEmbeddedS3({ directory: path.join(work, 's3'), region: 'eu-west-1', buckets: [RAW, STANDARDIZED] });
  try {
    const transform = lake.loadTransform(toEnvironment(transformSettingsOf(finance, STANDARDIZED, { s3Endpoint: lake.endpoint, powertools: { logLevel: 'SILENT', metricsDisabled: true } })));
    const uploads = [];
    for (const [key, body] of Object.entries(objects)) uploads.push(await lake.upload(RAW, key, body));
    const deadLetters = (await transform.deliver(uploads)).map((object) => object.key);
    const dir = path.join(work, 'standardized');
    return { dir, keys: await lake.mirror(STANDARDIZED, dir), deadLetters };
  } finally {
    await lake.stop();
  }
}

const manifests = (lake: Lake) => lake.keys.filter((key) => key.startsWith('manifests/'))
  .map((key) => JSON.parse(fs.readFileSync(path.join(lake.dir, ...key.split('/')), 'utf8')) as { source: { key: string }; records: Record<string, number> });

describe('the finance sample reads its Alpha Vantage responses as declared, and its uploads in their own format', () => {
  const ibmKey = pageKey('stock_prices', { symbol: 'IBM' }, '2024-01-04');
  const eurUsdKey = pageKey('fx_rates', { from: 'EUR', to: 'USD' }, '2024-01-04');
  let lake: Lake;

  beforeAll(async () => {
    const bars = { ...IBM_BARS, '2024-01-02': { ...IBM_BARS['2024-01-02'], close: NOISY_CLOSE } };
    lake = await transformed({
      [ibmKey]: timeSeriesDaily('IBM', bars),
      [eurUsdKey]: fxDaily('EUR', 'USD', EUR_USD_BARS),
      'landing/stock_prices/2024-01-05.csv': 'ticker,date,open,high,low,close,adj_close,volume\nMSFT,2024-01-05,368.97,372.06,366.50,367.75,366.21,20987000\n',
      'landing/fx_rates/2024-01-05.json': JSON.stringify({ GBP: { USD: { '2024-01-05': { open: 1.2705, high: 1.2771, low: 1.2612, close: 1.2719 } } } }),
    });
  }, 60_000);

  test('the responses sit where the pull writes them', () => {
    expect(ibmKey).toBe('landing/stock_prices/api/symbol=IBM/2024-01-04/page-0001.json');
    expect(eurUsdKey).toBe('landing/fx_rates/api/from=EUR/to=USD/2024-01-04/page-0001.json');
  });

  test('every record is written and none quarantined', () => {
    expect(lake.deadLetters).toEqual([]);
    expect(lake.keys.filter((key) => key.startsWith('quarantine/'))).toEqual([]);
    const counts = Object.fromEntries(manifests(lake).map((manifest) => [manifest.source.key, manifest.records]));
    expect(counts).toEqual({
      [ibmKey]: { read: 3, written: 3, quarantined: 0, rounded: 1 },
      [eurUsdKey]: { read: 3, written: 3, quarantined: 0, rounded: 0 },
      'landing/stock_prices/2024-01-05.csv': { read: 1, written: 1, quarantined: 0, rounded: 0 },
      'landing/fx_rates/2024-01-05.json': { read: 1, written: 1, quarantined: 0, rounded: 0 },
    });
  });

  test('stock prices: the ticker from "Meta Data", each day a row, with the declared types and the close rounded to 6 places', async () => {
    const files = `${lake.dir}/stock_prices/**/*.parquet`;
    const types = await parquetTypes(files);
    expect(types).toMatchObject({ ticker: 'VARCHAR', open: 'DECIMAL(18,6)', close: 'DECIMAL(18,6)', adj_close: 'DECIMAL(18,6)', volume: 'BIGINT' });
    const rows = await query(`SELECT ticker, date::VARCHAR AS date, open::VARCHAR AS open, high::VARCHAR AS high, low::VARCHAR AS low, close::VARCHAR AS close,
      adj_close::VARCHAR AS adj_close, volume::VARCHAR AS volume FROM read_parquet('${files}', hive_partitioning = true) ORDER BY ticker, date`);
    expect(rows).toEqual([
      { ticker: 'IBM', date: '2024-01-02', open: '161.000000', high: '161.730000', low: '159.860000', close: '161.500000', adj_close: null, volume: '4364578' },
      { ticker: 'IBM', date: '2024-01-03', open: '160.410000', high: '161.000000', low: '158.630000', close: '160.100000', adj_close: null, volume: '4223637' },
      { ticker: 'IBM', date: '2024-01-04', open: '159.830000', high: '161.350000', low: '159.300000', close: '160.860000', adj_close: null, volume: '3849612' },
      { ticker: 'MSFT', date: '2024-01-05', open: '368.970000', high: '372.060000', low: '366.500000', close: '367.750000', adj_close: '366.210000', volume: '20987000' },
    ]);
  });

  test('FX rates: the pair from "Meta Data", each day a row, as decimal(18,8)', async () => {
    const files = `${lake.dir}/fx_rates/**/*.parquet`;
    expect(await parquetTypes(files)).toMatchObject({ from_currency: 'VARCHAR', to_currency: 'VARCHAR', open: 'DECIMAL(18,8)', close: 'DECIMAL(18,8)' });
    const rows = await query(`SELECT from_currency, to_currency, date::VARCHAR AS date, open::VARCHAR AS open, close::VARCHAR AS close
      FROM read_parquet('${files}', hive_partitioning = true) ORDER BY from_currency, date`);
    expect(rows).toEqual([
      { from_currency: 'EUR', to_currency: 'USD', date: '2024-01-02', open: '1.10410000', close: '1.09430000' },
      { from_currency: 'EUR', to_currency: 'USD', date: '2024-01-03', open: '1.09420000', close: '1.09220000' },
      { from_currency: 'EUR', to_currency: 'USD', date: '2024-01-04', open: '1.09200000', close: '1.09480000' },
      { from_currency: 'GBP', to_currency: 'USD', date: '2024-01-05', open: '1.27050000', close: '1.27190000' },
    ]);
  });
});

test('only the API folder itself is read as responses: a CSV file in a folder named like it reads as CSV', async () => {
  const lake = await transformed({ 'landing/stock_prices/api-exports/2024-01-05.csv': 'ticker,date,open,high,low,close,adj_close,volume\nMSFT,2024-01-05,1,1,1,1,1,1\n' });
  expect(lake.deadLetters).toEqual([]);
  expect(manifests(lake).map((manifest) => manifest.records)).toEqual([{ read: 1, written: 1, quarantined: 0, rounded: 0 }]);
}, 60_000);

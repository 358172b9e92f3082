/**
 * Local mode on a history file: ten years of daily prices of five tickers in one CSV (12,600
 * rows, 2,520 date partitions) through the real handler and the embedded S3 endpoint, whose
 * uploads go through the transform's bounded pool (lambda/transform/upload-pool.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLocal } from '../../tools/local/run-local';
import { query } from '../helpers/duckdb';

const ROOT = path.join(__dirname, '..', '..');
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const TICKERS = ['AAPL', 'MSFT', 'AMZN', 'GOOG', 'IBM'];

test('a ten-year daily history file of five tickers completes: every row in its date partition', async () => {
  const input = tmp('lakeworks-history-in-');
  fs.mkdirSync(path.join(input, 'stock_prices'));
  const lines = ['ticker,date,open,high,low,close,adj_close,volume'];
  let days = 0;
  for (let day = 0; days < 2520; day++) {
    const date = new Date(Date.UTC(2014, 0, 1) + day * 86_400_000);
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    days++;
    for (const ticker of TICKERS) lines.push(`${ticker},${date.toISOString().slice(0, 10)},10.5,11,10,10.75,10.75,${day}`);
  }
  fs.writeFileSync(path.join(input, 'stock_prices', 'history.csv'), `${lines.join('\n')}\n`);
  const out = tmp('lakeworks-history-out-');
  const summary = await runLocal({ lob: 'finance', input, out, configDir: path.join(ROOT, 'config'), workDir: tmp('lakeworks-history-work-'), through: 'transform' });
  expect(summary.datasets.stock_prices).toEqual({ read: 12_600, written: 12_600, quarantined: 0 });
  const [counts] = await query(`SELECT count(DISTINCT "date") AS days, count(*) AS rows FROM read_parquet('${out}/standardized/stock_prices/**/*.parquet', hive_partitioning = true)`);
  expect(counts).toEqual({ days: '2520', rows: '12600' });
}, 300_000);

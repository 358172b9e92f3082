/**
 * A dataset partitioned by the month of its date (`{ column: date, granularity: month, as:
 * trade_month }`), through the real handler and the embedded S3 endpoint: a ten-year daily
 * history in one CSV lands in one folder a month, each row in the month of its date, the date
 * still a column of the files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runLocal } from '../../tools/local/run-local';
import { query } from '../helpers/duckdb';

const ROOT = path.join(__dirname, '..', '..');
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const TICKERS = ['AAPL', 'MSFT', 'AMZN', 'GOOG', 'IBM'];

/** The sample config with finance's stock prices partitioned by month instead of day. */
function monthlyConfig(): string {
  const dir = tmp('lakeworks-monthly-config-');
  fs.cpSync(path.join(ROOT, 'config'), dir, { recursive: true });
  const file = path.join(dir, 'lobs', 'finance.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const monthly = text.replace('partitionColumns: [date]\n    primaryKey: [ticker, date]',
    'partitionColumns: [{ column: date, granularity: month, as: trade_month }]\n    primaryKey: [ticker, date]');
  expect(monthly).not.toBe(text);
  fs.writeFileSync(file, monthly);
  return dir;
}

/** Every weekday of 2014-2023 for five tickers. */
function historyCsv(): { text: string; rows: number; days: number } {
  const lines = ['ticker,date,open,high,low,close,adj_close,volume'];
  let days = 0;
  for (let time = Date.UTC(2014, 0, 1); time < Date.UTC(2024, 0, 1); time += 86_400_000) {
    const date = new Date(time);
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    days++;
    for (const ticker of TICKERS) lines.push(`${ticker},${date.toISOString().slice(0, 10)},10.5,11,10,10.75,10.75,${days}`);
  }
  return { text: `${lines.join('\n')}\n`, rows: days * TICKERS.length, days };
}

test('a ten-year daily history in month partitions: 120 folders, every row in the month of its date', async () => {
  const input = tmp('lakeworks-monthly-in-');
  fs.mkdirSync(path.join(input, 'stock_prices'));
  const history = historyCsv();
  fs.writeFileSync(path.join(input, 'stock_prices', 'history.csv'), history.text);
  const out = tmp('lakeworks-monthly-out-');
  const summary = await runLocal({ lob: 'finance', input, out, configDir: monthlyConfig(), workDir: tmp('lakeworks-monthly-work-'), through: 'transform' });
  expect(summary.datasets.stock_prices).toEqual({ read: history.rows, written: history.rows, quarantined: 0 });

  const folders = fs.readdirSync(path.join(out, 'standardized', 'stock_prices'));
  expect(folders).toHaveLength(120);
  expect(folders.every((name) => /^trade_month=\d{4}-\d{2}$/.test(name))).toBe(true);
  const files = `${out}/standardized/stock_prices/**/*.parquet`;
  const [counts] = await query(`SELECT count(DISTINCT trade_month) AS months, count(DISTINCT "date") AS days, count(*) AS rows,
    count(*) FILTER (WHERE strftime("date", '%Y-%m') <> trade_month) AS misplaced FROM read_parquet('${files}', hive_partitioning = true)`);
  expect(counts).toEqual({ months: '120', days: String(history.days), rows: String(history.rows), misplaced: '0' });
  // The date is a column of the files themselves, not only of the path.
  const [first] = await query(`SELECT * FROM read_parquet('${out}/standardized/stock_prices/trade_month=2014-01/*.parquet', hive_partitioning = false) ORDER BY "date", ticker LIMIT 1`);
  expect(first).toMatchObject({ ticker: 'AAPL', date: '2014-01-01' });
}, 300_000);

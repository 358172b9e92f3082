/**
 * The conformed and enriched SQL (glue-scripts/sql), run on DuckDB over Parquet produced by the
 * real transform, checked on known series.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import { transformObject } from '../../lambda/transform/transform-object';
import type { LobConfig } from '../../lib/config/lob-schema';
import { runCuratedLayers, sqlFiles } from '../../lib/local/curated-layers';
import { query } from '../helpers/duckdb';
import { sampleConfig } from '../helpers/sample-app';

const lobs = sampleConfig().lobs;
const finance = lobs.find((l) => l.name === 'finance')!;
const marketing = lobs.find((l) => l.name === 'marketing')!;

/** Runs the real transform on `inputs` (dataset -> text) into `<dir>/standardized`, then the SQL layers. */
async function lake(lob: LobConfig, inputs: Record<string, string>): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-sql-'));
  for (const [datasetName, text] of Object.entries(inputs)) {
    const dataset = compileDataset(lob.datasets.find((d) => d.name === datasetName)!);
    const store = {
      put: async (file: { key: string; body: Buffer }) => {
        const target = path.join(dir, 'standardized', file.key);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, file.body);
      },
      remove: async () => undefined,
    };
    const result = await transformObject({ bucket: 'raw', key: `landing/${datasetName}/input`, version: '1' }, Readable.from([Buffer.from(text)]), dataset, store);
    expect(result.quarantined).toBe(0);
  }
  await runCuratedLayers(lob, dir);
  return dir;
}

const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10);

describe('finance SQL', () => {
  // AAA closes at 100, 110, 99, 108.9, ... (alternating +10% / -10%) for 25 trading days;
  // BBB has three days; day 2 of AAA is delivered twice.
  const closes: number[] = [];
  for (let i = 0; i < 25; i++) closes.push(i === 0 ? 100 : closes[i - 1] * (i % 2 === 1 ? 1.1 : 0.9));
  const csv = ['ticker,date,open,high,low,close,adj_close,volume',
    ...closes.map((c, i) => `AAA,${day(i)},1,1,1,${c.toFixed(6)},1,${1000 + i}`),
    `AAA,${day(2)},1,1,1,${closes[2].toFixed(6)},1,5`,
    'BBB,2024-01-01,1,1,1,50,1,1', 'BBB,2024-01-02,1,1,1,55,1,1', 'BBB,2024-01-03,1,1,1,44,1,1'].join('\n');
  const fx = JSON.stringify({ USD: { GBP: { '2024-01-02': { open: 0.8, high: 0.8, low: 0.8, close: 0.8 } }, EUR: { '2024-01-02': { open: 0.9, high: 0.9, low: 0.9, close: 0.9 } } } });
  let dir: string;
  beforeAll(async () => { dir = await lake(finance, { stock_prices: csv, fx_rates: fx }); });

  test('conformed.daily_prices keeps one row per ticker and day', async () => {
    expect(await query(`SELECT count(*)::INT n, count(DISTINCT (ticker, date))::INT keys FROM read_parquet('${dir}/conformed/daily_prices/*.parquet')`)).toEqual([{ n: 28, keys: 28 }]);
  });

  test('enriched.stock_metrics: daily_return, ma_5 and ma_20 on a known series', async () => {
    const rows = await query(`SELECT ticker, date::VARCHAR AS d, daily_return AS r, ma_5, ma_20 FROM read_parquet('${dir}/enriched/stock_metrics/*.parquet') ORDER BY ticker, d`);
    const aaaRows = rows.filter((r) => r.ticker === 'AAA');
    const rounded = (x: number) => Number(x.toFixed(6));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(aaaRows).toHaveLength(25);
    expect(aaaRows[0].r).toBeNull();
    aaaRows.forEach((row, i) => {
      if (i > 0) expect(row.r as number).toBeCloseTo(rounded(closes[i]) / rounded(closes[i - 1]) - 1, 9);
      expect(row.ma_5 as number).toBeCloseTo(mean(closes.slice(Math.max(0, i - 4), i + 1).map(rounded)), 6);
      expect(row.ma_20 as number).toBeCloseTo(mean(closes.slice(Math.max(0, i - 19), i + 1).map(rounded)), 6);
    });
    expect(aaaRows[1].r as number).toBeCloseTo(0.1, 9);
    expect(aaaRows[2].r as number).toBeCloseTo(-0.1, 9);
    expect(rows.filter((r) => r.ticker === 'BBB').map((r) => [r.r, r.ma_5])).toEqual([[null, 50], [expect.closeTo(0.1, 9), 52.5], [expect.closeTo(-0.2, 9), expect.closeTo(149 / 3, 9)]]);
  });

  test('enriched.fx_cross derives a cross rate from two pairs', async () => {
    const rows = await query(`SELECT from_currency f, to_currency t, via_currency v, cross_rate x FROM read_parquet('${dir}/enriched/fx_cross/*.parquet') ORDER BY 1`);
    expect(rows).toEqual([
      { f: 'EUR', t: 'GBP', v: 'USD', x: expect.closeTo(0.8 / 0.9, 12) },
      { f: 'GBP', t: 'EUR', v: 'USD', x: expect.closeTo(0.9 / 0.8, 12) },
    ]);
  });
});

describe('marketing SQL', () => {
  test('lead counts by region carry no personal data; web events are counted per page and day once each', async () => {
    const leads = ['lead_id,created_at,full_name,email,phone,company,region,score',
      'L1,2024-01-02T09:00:00Z,A,a@x,1,C,EMEA,10', 'L2,2024-01-02T23:30:00-02:00,B,b@x,2,C,EMEA,20', 'L3,2024-01-02T10:00:00Z,C,c@x,3,C,AMER,30'].join('\n');
    const events = [
      { event_id: 'e1', event_time: '2024-01-02T08:00:00Z', event_date: '2024-01-02', session_id: 's1', page: '/', event_type: 'view', duration_ms: 100 },
      { event_id: 'e1', event_time: '2024-01-02T08:00:00Z', event_date: '2024-01-02', session_id: 's1', page: '/', event_type: 'view', duration_ms: 100 },
      { event_id: 'e2', event_time: '2024-01-02T08:01:00Z', event_date: '2024-01-02', session_id: 's2', page: '/', event_type: 'view', duration_ms: 300 },
    ].map((e) => JSON.stringify(e)).join('\n');
    const dir = await lake(marketing, { leads, web_events: events });
    const regionRows = await query(`SELECT * FROM read_parquet('${dir}/enriched/lead_counts_by_region/*.parquet') ORDER BY region, created_date`);
    expect(Object.keys(regionRows[0]).sort()).toEqual(['created_date', 'leads', 'mean_score', 'region']);
    expect(regionRows.map((r) => [r.region, r.created_date, Number(r.leads)])).toEqual([['AMER', '2024-01-02', 1], ['EMEA', '2024-01-02', 1], ['EMEA', '2024-01-03', 1]]);
    expect(await query(`SELECT page, events::INT AS events, sessions::INT AS sessions, mean_duration_ms FROM read_parquet('${dir}/enriched/web_event_daily_counts/*.parquet')`))
      .toEqual([{ page: '/', events: 2, sessions: 2, mean_duration_ms: 200 }]);
  });
});

test('every LoB\'s curated SQL is found by layer', () => {
  expect(sqlFiles('finance', 'conformed').map((f) => f.table)).toEqual(['daily_prices', 'fx_daily']);
  expect(sqlFiles('finance', 'enriched').map((f) => f.table)).toEqual(['fx_cross', 'stock_metrics']);
  expect(sqlFiles('marketing', 'enriched').map((f) => f.table)).toEqual(['lead_counts_by_region', 'web_event_daily_counts']);
});

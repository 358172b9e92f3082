/** The named queries, run on DuckDB against what local mode builds from the samples. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { namedQueries, renderQuery } from '../../lib/analytics/named-queries';
import { CURATED_LAYERS } from '../../lib/local/curated-layers';
import { runLocal } from '../../lib/local/run-local';

const ROOT = path.join(__dirname, '..', '..');

async function runQueries(lob: string): Promise<Record<string, Array<Record<string, unknown>>>> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-queries-'));
  await runLocal({ lob, input: path.join(ROOT, 'samples', lob), out, configDir: path.join(ROOT, 'config'), workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-work-')) });
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const db = await instance.connect();
    await db.run("SET TimeZone = 'UTC'");
    for (const layer of CURATED_LAYERS) {
      await db.run(`CREATE SCHEMA ${layer}`);
      for (const table of fs.readdirSync(path.join(out, layer))) {
        await db.run(`CREATE VIEW ${layer}."${table}" AS SELECT * FROM read_parquet('${path.join(out, layer, table, '*.parquet')}')`);
      }
    }
    const results: Record<string, Array<Record<string, unknown>>> = {};
    for (const query of namedQueries(lob)) {
      results[query.name] = (await db.runAndReadAll(renderQuery(query.template, (layer) => layer))).getRowObjectsJson() as Array<Record<string, unknown>>;
    }
    return results;
  } finally {
    instance.closeSync();
  }
}

describe('named queries', () => {
  test('finance: top movers, FX cross history and moving averages answer from the sample', async () => {
    const results = await runQueries('finance');
    // Day-on-day moves on 2024-01-03: NVDA -1.24%, AMZN -0.97%, AAPL -0.75%, GOOG +0.57%, MSFT -0.07%.
    expect(results.top_movers.map((r) => r.ticker)).toEqual(['NVDA', 'AMZN', 'AAPL', 'GOOG', 'MSFT']);
    expect(results.top_movers[0].daily_return as number).toBeCloseTo(47.569 / 48.168 - 1, 9);
    expect(results.fx_cross_history).toEqual([
      expect.objectContaining({ date: '2024-01-02', from_currency: 'EUR', to_currency: 'GBP', via_currency: 'USD', cross_rate: expect.closeTo(0.7901 / 0.9139, 12) }),
    ]);
    expect(results.moving_averages.length).toBeGreaterThan(0);
  });

  test('marketing: leads by region and top pages answer from the sample', async () => {
    const results = await runQueries('marketing');
    expect(results.leads_by_region.map((r) => [r.region, Number(r.leads)])).toEqual([['AMER', 1], ['APAC', 1], ['EMEA', 1]]);
    // /pricing has two valid events; / and /signup one each (the other / event was quarantined).
    expect(results.top_pages.map((r) => [r.page, Number(r.events)])).toEqual([['/pricing', 2], ['/', 1], ['/signup', 1]]);
  });
});

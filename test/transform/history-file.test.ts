import { Readable } from 'node:stream';
import fc from 'fast-check';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import type { OutputFile } from '../../lambda/transform/partitioned-writer';
import { transformObject } from '../../lambda/transform/transform-object';
import { MAX_UPLOADS_IN_FLIGHT, UploadPool } from '../../lambda/transform/upload-pool';
import { sampleConfig } from '../helpers/sample-app';

const finance = sampleConfig().lobs.find((lob) => lob.name === 'finance')!;
const stockPrices = compileDataset(finance.datasets.find((d) => d.name === 'stock_prices')!);
const ARRIVAL = { ingestedAt: new Date('2024-01-02T22:10:05Z'), clock: () => new Date('2024-01-02T22:10:09Z') };
const TICKERS = ['AAPL', 'MSFT', 'AMZN', 'GOOG', 'IBM'];

/** Ten years of trading days (weekdays from 2014-01-01) for five tickers: one row per ticker and day. */
function historyCsv(days: number): string {
  const lines = ['ticker,date,open,high,low,close,adj_close,volume'];
  let written = 0;
  for (let day = 0; written < days; day++) {
    const date = new Date(Date.UTC(2014, 0, 1) + day * 86_400_000);
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    written++;
    for (const ticker of TICKERS) lines.push(`${ticker},${date.toISOString().slice(0, 10)},10.5,11,10,10.75,10.75,${1000 + day}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A store whose PUTs take a while, recording the most in flight at once. */
class SlowStore {
  public readonly keys: string[] = [];
  public inFlight = 0;
  public maxInFlight = 0;
  public async put(file: OutputFile): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.keys.push(file.key);
    this.inFlight--;
  }
  public async get(): Promise<undefined> { return undefined; }
  public async remove(): Promise<void> { /* nothing is removed in these tests */ }
}

describe('history files: many partitions in one object', () => {
  test('ten years of five tickers (12,600 rows, 2,520 date partitions) with at most MAX_UPLOADS_IN_FLIGHT PUTs at once', async () => {
    const store = new SlowStore();
    const csv = historyCsv(2520);
    const result = await transformObject({ bucket: 'raw', key: 'landing/stock_prices/history.csv', version: 'v1' }, Readable.from([Buffer.from(csv)]), stockPrices, store, { ...ARRIVAL, rowGroupRows: 1000 });
    expect(result).toMatchObject({ read: 12_600, written: 12_600, quarantined: 0 });
    const partitions = new Set(store.keys.filter((key) => key.endsWith('.parquet')).map((key) => key.split('/')[1]));
    expect(partitions.size).toBe(2520);
    expect(store.maxInFlight).toBeGreaterThan(1);
    expect(store.maxInFlight).toBeLessThanOrEqual(MAX_UPLOADS_IN_FLIGHT);
  }, 60_000);

  test('property: the pool never runs more than its limit, runs everything submitted, and reports the first failure', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }), fc.option(fc.nat(39)),
      async (limit, delays, failAt) => {
        const pool = new UploadPool(limit);
        let running = 0;
        let most = 0;
        let done = 0;
        const submitted = async () => {
          for (const [index, delay] of delays.entries()) {
            await pool.submit(async () => {
              running++;
              most = Math.max(most, running);
              await new Promise((resolve) => setTimeout(resolve, delay));
              running--;
              done++;
              if (index === failAt) throw new Error(`upload ${index} failed`);
            });
          }
          await pool.drain();
        };
        if (failAt !== null && failAt < delays.length) await expect(submitted()).rejects.toThrow(`upload ${failAt} failed`);
        else {
          await submitted();
          expect(done).toBe(delays.length);
        }
        expect(most).toBeLessThanOrEqual(limit);
      }), { numRuns: 40 });
  });
});

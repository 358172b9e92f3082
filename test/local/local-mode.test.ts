/**
 * Local mode end to end: the real handler against the embedded S3 endpoint (s3rver) on loopback,
 * the output read back by DuckDB. Also the command as README shows it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MANIFEST_FORMAT, type StandardizedManifest } from '../../contract/standardized-layout';
import { LocalModeError, runLocal } from '../../tools/local/run-local';
import { parquetTypes, query } from '../helpers/duckdb';

const ROOT = path.join(__dirname, '..', '..');
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
// Transform only: the curated layers' run on Spark is exercised once, by the command's test below.
const run = (lob: string, out = tmp('lakeworks-out-')) =>
  runLocal({ lob, input: path.join(ROOT, 'samples', lob), out, configDir: path.join(ROOT, 'config'), workDir: tmp('lakeworks-work-'), through: 'transform' }).then((summary) => ({ summary, out }));

describe('local mode', () => {
  test('finance sample: typed Parquet by date, quarantined records and the unreadable object accounted for', async () => {
    const { summary, out } = await run('finance');
    expect(summary.datasets).toEqual({
      fx_rates: { read: 7, written: 5, quarantined: 2 },
      stock_prices: { read: 12, written: 10, quarantined: 2 },
    });
    for (const object of summary.objects) expect(fs.existsSync(path.join(out, object))).toBe(true);
    expect(summary.objects).toEqual(expect.arrayContaining([
      'raw/landing/stock_prices/2024-01-02.csv',
      expect.stringMatching(/^standardized\/stock_prices\/date=2024-01-03\/part-[0-9a-f]{20}-00000\.parquet$/),
      expect.stringMatching(/^standardized\/quarantine\/fx_rates\/unreadable\/part-[0-9a-f]{20}\.json$/),
    ]));
    const stock = `${out}/standardized/stock_prices/**/*.parquet`;
    expect(await parquetTypes(stock)).toEqual({
      ticker: 'VARCHAR', date: 'DATE', open: 'DECIMAL(18,6)', high: 'DECIMAL(18,6)', low: 'DECIMAL(18,6)', close: 'DECIMAL(18,6)', adj_close: 'DECIMAL(18,6)', volume: 'BIGINT',
    });
    expect(await query(`SELECT ticker, date::VARCHAR AS "date", close::VARCHAR AS "close", volume FROM read_parquet('${stock}', hive_partitioning = true) WHERE ticker = 'AAPL' ORDER BY 2`)).toEqual([
      { ticker: 'AAPL', date: '2024-01-02', close: '185.640000', volume: '82488700' },
      { ticker: 'AAPL', date: '2024-01-03', close: '184.250000', volume: '58414500' },
    ]);
    const unreadable = summary.objects.find((o) => o.includes('/unreadable/'))!;
    expect(JSON.parse(fs.readFileSync(path.join(out, unreadable), 'utf8'))).toMatchObject({
      source: expect.stringMatching(/landing\/fx_rates\/truncated\.json$/), reason: expect.stringContaining('not a complete JSON document'),
    });
  });

  test('a manifest per object transformed, naming what it wrote, dated by the event; none for the unreadable one', async () => {
    const started = new Date();
    const { summary, out } = await run('finance');
    const finished = new Date();
    const manifests = summary.objects.filter((object) => object.startsWith('standardized/manifests/'));
    expect(manifests).toEqual([
      expect.stringMatching(/^standardized\/manifests\/fx_rates\/\d{4}-\d{2}-\d{2}\/[0-9a-f]{20}\.json$/),
      expect.stringMatching(/^standardized\/manifests\/stock_prices\/\d{4}-\d{2}-\d{2}\/[0-9a-f]{20}\.json$/),
      expect.stringMatching(/^standardized\/manifests\/stock_prices\/\d{4}-\d{2}-\d{2}\/[0-9a-f]{20}\.json$/),
    ]);
    const documents: StandardizedManifest[] = manifests.map((object) => JSON.parse(fs.readFileSync(path.join(out, object), 'utf8')));
    expect(documents.map((document) => document.source.key).sort()).toEqual(['landing/fx_rates/2024-01.json', 'landing/stock_prices/2024-01-02.csv', 'landing/stock_prices/2024-01-03.csv.gz']);
    const standardized = summary.objects.filter((object) => object.startsWith('standardized/')).map((object) => object.slice('standardized/'.length));
    for (const dataset of ['fx_rates', 'stock_prices'] as const) {
      const own = documents.filter((document) => document.dataset === dataset);
      // Together the manifests name every data and quarantine file of the dataset, and the rows in them.
      expect(own.flatMap((document) => document.files.map((file) => file.key)).sort()).toEqual(standardized.filter((key) => key.startsWith(`${dataset}/`)));
      expect(own.flatMap((document) => document.quarantine).sort()).toEqual(standardized.filter((key) => key.startsWith(`quarantine/${dataset}/part-`)));
      expect(own.reduce((sum, document) => sum + document.files.reduce((rows, file) => rows + file.rows, 0), 0)).toBe(summary.datasets[dataset].written);
      expect(own.reduce((sum, document) => sum + document.records.written, 0)).toBe(summary.datasets[dataset].written);
    }
    for (const [index, document] of documents.entries()) {
      expect(document.format).toBe(MANIFEST_FORMAT);
      // ingestedAt is the raw object's upload (S3 stamps whole seconds), before the transform ran.
      const ingestedAt = new Date(document.ingestedAt);
      expect(ingestedAt.getUTCMilliseconds()).toBe(0);
      expect(ingestedAt.getTime()).toBeGreaterThanOrEqual(Math.floor(started.getTime() / 1000) * 1000);
      expect(ingestedAt.getTime()).toBeLessThanOrEqual(new Date(document.writtenAt).getTime());
      expect(new Date(document.writtenAt).getTime()).toBeLessThanOrEqual(finished.getTime());
      expect(manifests[index].split('/')[3]).toBe(document.writtenAt.slice(0, 10));
    }
  });

  test('marketing sample: timestamps, enumerated regions and malformed events', async () => {
    const { summary, out } = await run('marketing');
    expect(summary.datasets).toEqual({
      leads: { read: 4, written: 3, quarantined: 1 },
      web_events: { read: 6, written: 4, quarantined: 2 },
    });
    const leads = `${out}/standardized/leads/**/*.parquet`;
    expect((await parquetTypes(leads)).created_at).toBe('TIMESTAMP WITH TIME ZONE');
    expect(await query(`SELECT region, lead_id, epoch_ms(created_at)::DOUBLE AS ms FROM read_parquet('${leads}', hive_partitioning = true) ORDER BY 2`)).toEqual([
      { region: 'EMEA', lead_id: 'L-1001', ms: Date.UTC(2024, 0, 2, 9, 15) },
      { region: 'AMER', lead_id: 'L-1002', ms: Date.UTC(2024, 0, 2, 10, 2, 31, 250) },
      { region: 'APAC', lead_id: 'L-1003', ms: Date.UTC(2024, 0, 2, 2, 47, 9) },
    ]);
    const reasons = fs.readFileSync(fs.readdirSync(path.join(out, 'standardized/quarantine/leads')).map((f) => path.join(out, 'standardized/quarantine/leads', f))[0], 'utf8');
    expect(reasons).toContain('column region: \\"MARS\\" is not one of AMER, EMEA, APAC');
  });

  test('the LoB\'s transform settings reach the handler, as the stack gives them', async () => {
    // Enough rows of one day for delta encoding to pay off (the samples are too small to tell).
    const input = tmp('lakeworks-in-');
    fs.mkdirSync(path.join(input, 'stock_prices'));
    const rows = Array.from({ length: 400 }, (_, i) => `T${i},2024-01-02,${100 + (i % 50)}.25,${101 + (i % 50)},99,${100 + (i % 50)}.5,${100 + (i % 50)}.5,${1000 + i}`);
    fs.writeFileSync(path.join(input, 'stock_prices', 'day.csv'), `ticker,date,open,high,low,close,adj_close,volume\n${rows.join('\n')}\n`);
    const volumeEncoding = async (configDir: string) => {
      const out = tmp('lakeworks-out-');
      await runLocal({ lob: 'finance', input, out, configDir, workDir: tmp('lakeworks-work-'), through: 'transform' });
      const [volume] = await query(`SELECT encodings FROM parquet_metadata('${out}/standardized/stock_prices/*/*.parquet') WHERE path_in_schema = 'volume'`);
      return String(volume.encodings);
    };
    expect(await volumeEncoding(path.join(ROOT, 'config'))).toBe('DELTA_BINARY_PACKED, RLE');
    const plainConfig = tmp('lakeworks-config-');
    fs.cpSync(path.join(ROOT, 'config'), plainConfig, { recursive: true });
    fs.appendFileSync(path.join(plainConfig, 'lobs', 'finance.yaml'), '\ntransform:\n  parquetIntegerEncoding: plain\n');
    expect(await volumeEncoding(plainConfig)).toBe('PLAIN, RLE');
  });

  test('rejects an unknown line of business', async () => {
    await expect(run('treasury')).rejects.toThrow(new LocalModeError('unknown line of business "treasury"; configured: finance, marketing'));
  });

  test('the command runs the transform and the curated layers, prints the summary as its only stdout line, and keeps the lake for the next day', () => {
    const out = tmp('lakeworks-cli-');
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/local.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
    const first = cli('--lob', 'finance', '--input', 'samples/finance', '--out', out);
    expect(first.status).toBe(0);
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
    const summary = JSON.parse(first.stdout);
    expect(summary.datasets.stock_prices).toEqual({ read: 12, written: 10, quarantined: 2 });
    expect(summary.curated.map((report: { table: string; backfill: string }) => [report.table, report.backfill])).toEqual([
      ['conformed.daily_prices', 'first run: the table does not exist yet'],
      ['conformed.fx_daily', 'first run: the table does not exist yet'],
      ['enriched.stock_metrics', 'first run: the table does not exist yet'],
      ['enriched.fx_cross', 'first run: the table does not exist yet'],
    ]);
    expect(summary.curated[0].rowsWritten).toBe(10);
    expect(fs.existsSync(path.join(out, 'conformed', 'daily_prices', 'metadata'))).toBe(true);

    // The next day's file: the curated run is incremental and writes only its row. (It also reads
    // again what arrived within the hour before the last run, which changes nothing.)
    const nextDay = tmp('lakeworks-in-');
    fs.mkdirSync(path.join(nextDay, 'stock_prices'));
    fs.writeFileSync(path.join(nextDay, 'stock_prices', '2024-01-04.csv'), 'ticker,date,open,high,low,close,adj_close,volume\nAAPL,2024-01-04,182,183,180,181.91,181.68,71983600\n');
    const second = cli('--lob', 'finance', '--input', nextDay, '--out', out);
    expect(second.status).toBe(0);
    const reports = Object.fromEntries(JSON.parse(second.stdout).curated.map((report: { table: string }) => [report.table, report]));
    expect(reports['conformed.daily_prices']).toMatchObject({ backfill: null, rowsRead: { stock_prices: 11 }, rowsWritten: 1 });
    expect(reports['conformed.fx_daily']).toMatchObject({ backfill: null, rowsWritten: 0 });
    expect(reports['enriched.stock_metrics']).toMatchObject({ backfill: null, rowsWritten: 1 });
    expect(reports['enriched.fx_cross']).toMatchObject({ backfill: null, outcome: 'no changes in fx_daily' });
  });

  test('bad arguments exit 2 with a message', () => {
    const out = tmp('lakeworks-cli-');
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/local.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
    const missing = cli('--lob', 'finance');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('missing --input, --out');
    const unknown = cli('--lob', 'nope', '--input', 'samples/finance', '--out', out);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown line of business "nope"');
    const through = cli('--lob', 'finance', '--input', 'samples/finance', '--out', out, '--through', 'enriched');
    expect(through.status).toBe(2);
    expect(through.stderr).toContain('--through must be transform or curated; got "enriched"');
  });
});

/**
 * Local mode reads Parquet input as Lambda does: the real handler fetches the object from the
 * embedded S3 endpoint by ranged GETs (s3rver answers them as S3 does: 206 with Content-Range).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { runLocal } from '../../tools/local/run-local';
import { query } from '../helpers/duckdb';

const ROOT = path.join(__dirname, '..', '..');
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

test('local mode transforms a Parquet upload of a format: parquet dataset, quarantining what the schema refuses', async () => {
  const configDir = tmp('lakeworks-config-');
  fs.cpSync(path.join(ROOT, 'config'), configDir, { recursive: true });
  const lobFile = path.join(configDir, 'lobs', 'finance.yaml');
  const lob = parse(fs.readFileSync(lobFile, 'utf8'));
  lob.datasets.push({
    name: 'fund_prices', ingest: 'batch', format: 'parquet', primaryKey: ['fund', 'day'], partitionColumns: ['day'],
    schema: [
      { name: 'fund', type: 'string', nullable: false, source: 'Fund Code' },
      { name: 'day', type: 'date', nullable: false },
      { name: 'nav', type: 'decimal(12,4)', nullable: false },
    ],
  });
  fs.writeFileSync(lobFile, stringify(lob));

  const input = tmp('lakeworks-in-');
  fs.mkdirSync(path.join(input, 'fund_prices'));
  await query(`COPY (SELECT 'F' || (i % 3) AS "Fund Code", DATE '2024-01-01' + (i % 2)::INTEGER AS day,
    CASE WHEN i = 7 THEN 1.00005 ELSE 100 + i / 8 END::DECIMAL(14,5) AS nav FROM range(40) t(i))
    TO '${path.join(input, 'fund_prices', 'navs.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);

  const out = tmp('lakeworks-out-');
  const summary = await runLocal({ lob: 'finance', input, out, configDir, workDir: tmp('lakeworks-work-'), through: 'transform' });
  expect(summary.datasets.fund_prices).toMatchObject({ read: 40, written: 39, quarantined: 1 });
  const rows = await query(`SELECT day::VARCHAR AS day, count(*)::INTEGER AS n, sum(nav)::VARCHAR AS nav FROM read_parquet('${out}/standardized/fund_prices/*/*.parquet', hive_partitioning = true) GROUP BY 1 ORDER BY 1`);
  expect(rows.map((row) => [row.day, row.n])).toEqual([['2024-01-01', 20], ['2024-01-02', 19]]);
});

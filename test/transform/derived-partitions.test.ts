/**
 * Partitions at a coarser grain of a date or timestamp column (contract/partitioning.ts): the
 * folder is the UTC month (or year) of the value, and the column stays in the files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import type { OutputFile } from '../../lambda/transform/partitioned-writer';
import { transformObject } from '../../lambda/transform/transform-object';
import { datasetSchema } from '../../lib/config/lob-schema';
import { readWithHyparquet } from '../helpers/hyparquet';

/** The rows of a Parquet file written, read back by an independent reader. */
function rowsOf(body: Buffer): Array<Record<string, unknown>> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-derived-')), 'part.parquet');
  fs.writeFileSync(file, body);
  return readWithHyparquet(file).rows;
}

const ARRIVAL = { ingestedAt: new Date('2024-01-02T22:10:05Z'), clock: () => new Date('2024-01-02T22:10:09Z') };

async function transform(partitionColumns: unknown[], lines: string[]): Promise<Map<string, Buffer>> {
  const dataset = compileDataset(datasetSchema.parse({
    name: 'trades', ingest: 'batch', format: 'jsonl', timeZone: 'America/New_York',
    schema: [
      { name: 'id', type: 'string', nullable: false, allowedValues: ['a', 'b', 'c'] },
      { name: 'trade_date', type: 'date', nullable: false },
      { name: 'booked_at', type: 'timestamp', nullable: false },
    ],
    partitionColumns,
    primaryKey: ['id'],
  }));
  const files = new Map<string, Buffer>();
  const store = { put: async (file: OutputFile) => { files.set(file.key, file.body); }, get: async () => undefined, remove: async () => undefined };
  const result = await transformObject({ bucket: 'raw', key: 'landing/trades/a.jsonl', version: 'v1' }, Readable.from([Buffer.from(`${lines.join('\n')}\n`)]), dataset, store, ARRIVAL);
  expect(result).toMatchObject({ read: lines.length, written: lines.length, quarantined: 0 });
  return new Map([...files].filter(([key]) => key.endsWith('.parquet')));
}

const LINES = [
  '{"id":"a","trade_date":"2024-01-31","booked_at":"2024-01-31T18:00:00"}',
  '{"id":"b","trade_date":"2024-02-01","booked_at":"2024-01-31T20:30:00"}',
  '{"id":"c","trade_date":"2023-12-29","booked_at":"2023-12-29T09:00:00"}',
];

test('a timestamp is partitioned by its UTC month: 20:30 in New York on 31 January is February', async () => {
  const files = await transform([{ column: 'booked_at', granularity: 'month', as: 'booked_month' }], LINES);
  const folders = [...files.keys()].map((key) => key.split('/')[1]).sort();
  expect(folders).toEqual(['booked_month=2023-12', 'booked_month=2024-01', 'booked_month=2024-02']);
  const february = [...files].find(([key]) => key.includes('booked_month=2024-02'))![1];
  const rows = rowsOf(february);
  expect(rows.map((row) => row.id)).toEqual(['b']);
  expect(Object.keys(rows[0])).toEqual(['id', 'trade_date', 'booked_at']);
});

test('a year of a date next to a column partition: both keys in folder order, the date kept in the files', async () => {
  const files = await transform([{ column: 'trade_date', granularity: 'year', as: 'trade_year' }, 'id'], LINES);
  expect([...files.keys()].map((key) => key.split('/').slice(1, 3).join('/')).sort()).toEqual(['trade_year=2023/id=c', 'trade_year=2024/id=a', 'trade_year=2024/id=b']);
  const rows = rowsOf([...files].find(([key]) => key.includes('id=b'))![1]);
  expect(Object.keys(rows[0])).toEqual(['trade_date', 'booked_at']);
});

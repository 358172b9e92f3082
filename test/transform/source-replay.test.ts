/**
 * A source transformed again (a redriven message, a replay after a config change) replaces what its
 * earlier transform wrote: afterwards the bucket holds exactly what one transform of the source with
 * the current config writes, byte for byte, whatever was written before and whichever attempt
 * failed in between. First in memory (every order of configs, a property test), then through the
 * real handler against the embedded S3 endpoint, where a source's first transform meets NoSuchKey.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { SOURCE_OUTPUTS_FORMAT, sourceOutputsKey, unreadableMarkerKey } from '../../contract/standardized-layout';
import { toEnvironment, transformSettingsOf } from '../../contract/transform-settings';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import type { OutputFile } from '../../lambda/transform/partitioned-writer';
import { sourceIdOf, transformObject } from '../../lambda/transform/transform-object';
import { type DatasetConfig, datasetSchema } from '../../lib/config/lob-schema';
import { startEmbeddedS3 } from '../../tools/local/embedded-lake';
import { MemoryStore } from '../helpers/memory-store';

const SOURCE = { bucket: 'raw', key: 'landing/prices/a.csv', version: 'v1' };
const SOURCE_ID = sourceIdOf(SOURCE);
const INGESTED_AT = new Date('2024-01-02T22:10:05Z');
const day = (n: number) => new Date(Date.UTC(2024, 0, 2 + n, 1, 0, 0));

/** Three days of prices; every third close has three decimals, which a decimal(10,2) may refuse. */
const CSV = `ticker,date,close\n${Array.from({ length: 24 }, (_, i) => `T${i % 4},2024-01-0${2 + (i % 3)},${i}.${i % 3 === 0 ? '125' : '5'}`).join('\n')}\n`;

const config = (name: string, schemaChanges: { close?: Record<string, unknown> } = {}, extra: Record<string, unknown> = {}): DatasetConfig => datasetSchema.parse({
  name: 'prices', ingest: 'batch', format: 'csv', primaryKey: ['ticker', 'date'],
  description: name,
  schema: [
    { name: 'ticker', type: 'string', nullable: false },
    { name: 'date', type: 'date', nullable: false },
    { name: 'close', type: 'decimal(10,2)', ...schemaChanges.close },
  ],
  ...extra,
});
/** The same source under the configs a live dataset goes through. */
const CONFIGS = {
  refusing: config('three decimals refused: quarantined'),
  rounding: config('three decimals rounded: all written', { close: { decimalRounding: 'round' } }),
  monthly: config('by month', { close: { decimalRounding: 'round' } }, { partitionColumns: [{ column: 'date', granularity: 'month', as: 'month' }] }),
  wider: config('wider decimal: all written', { close: { type: 'decimal(12,3)' } }),
};
type ConfigName = keyof typeof CONFIGS;

async function transform(store: MemoryStore, name: ConfigName, writtenAt: Date, rowGroupRows = 5) {
  return transformObject(SOURCE, Readable.from([Buffer.from(CSV)]), compileDataset(CONFIGS[name]), store, { ingestedAt: INGESTED_AT, clock: () => writtenAt, rowGroupRows });
}

/** What one transform of the source with `name` writes into an empty bucket. */
async function fresh(name: ConfigName, writtenAt: Date): Promise<Map<string, Buffer>> {
  const store = new MemoryStore();
  await transform(store, name, writtenAt);
  return store.files;
}

const sorted = (files: Map<string, Buffer>) => new Map([...files].sort(([a], [b]) => a.localeCompare(b)));

describe('a source transformed again', () => {
  test('after a config change, the bucket holds exactly what the new config writes; the rest is reported superseded', async () => {
    const store = new MemoryStore();
    const first = await transform(store, 'refusing', day(0));
    expect(first).toMatchObject({ read: 24, written: 16, quarantined: 8, superseded: [] });
    const replay = await transform(store, 'rounding', day(1));
    expect(replay).toMatchObject({ read: 24, written: 24, quarantined: 0 });
    expect(sorted(store.files)).toEqual(sorted(await fresh('rounding', day(1))));
    // The quarantine file of records that now pass, and the manifest of the other day, are gone.
    expect([...replay.superseded].sort()).toEqual([first.manifest, ...first.outputs.filter((key) => key.startsWith('quarantine/'))].sort());
  });

  test('the outputs record names the manifest and every file, and is the last thing written', async () => {
    const store = new MemoryStore();
    const puts: string[] = [];
    const put = store.put.bind(store);
    store.put = async (file: OutputFile) => { puts.push(file.key); await put(file); };
    const result = await transform(store, 'refusing', day(0));
    expect(puts.at(-1)).toBe(sourceOutputsKey('prices', SOURCE_ID));
    expect(JSON.parse(store.files.get(sourceOutputsKey('prices', SOURCE_ID))!.toString('utf8'))).toEqual({
      format: SOURCE_OUTPUTS_FORMAT, dataset: 'prices', source: SOURCE, manifest: result.manifest, files: result.outputs,
    });
  });

  test('property: any sequence of configs and days ends as one transform with the last of them', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ name: fc.constantFrom<ConfigName>('refusing', 'rounding', 'monthly', 'wider'), day: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 5 }),
      async (runs) => {
        const store = new MemoryStore();
        for (const run of runs) await transform(store, run.name, day(run.day));
        const last = runs.at(-1)!;
        expect(sorted(store.files)).toEqual(sorted(await fresh(last.name, day(last.day))));
      },
    ), { numRuns: 40 });
  });

  test('a transform that fails after removing what it supersedes is finished by its retry', async () => {
    const store = new MemoryStore();
    await transform(store, 'monthly', day(0));
    const put = store.put.bind(store);
    let failed = false;
    store.put = async (file: OutputFile) => {
      if (file.key.startsWith('outputs/') && !failed) { failed = true; throw new Error('PutObject failed: the outputs record'); }
      await put(file);
    };
    await expect(transform(store, 'rounding', day(1))).rejects.toThrow('PutObject failed: the outputs record');
    // The failed attempt removed its own files; the earlier outputs record still stands for the retry.
    expect([...store.files.keys()]).toEqual([sourceOutputsKey('prices', SOURCE_ID)]);
    await transform(store, 'rounding', day(1));
    expect(sorted(store.files)).toEqual(sorted(await fresh('rounding', day(1))));
  });

  test('the marker of an earlier attempt that found the object unreadable is removed', async () => {
    const store = new MemoryStore();
    const marker = unreadableMarkerKey('prices', SOURCE_ID);
    await store.put({ key: marker, body: Buffer.from('{"reason":"corrupt gzip"}'), rows: 0 });
    await transform(store, 'rounding', day(0));
    expect(store.files.has(marker)).toBe(false);
  });

  test('an outputs record of another layout fails the transform, naming the key, before anything is written', async () => {
    const store = new MemoryStore();
    const key = sourceOutputsKey('prices', SOURCE_ID);
    await store.put({ key, body: Buffer.from('{"format":"lakeworks.source-outputs/0"}'), rows: 0 });
    await expect(transform(store, 'rounding', day(0))).rejects.toThrow(`${key}: format "lakeworks.source-outputs/0"; expected ${SOURCE_OUTPUTS_FORMAT}`);
    expect([...store.files.keys()]).toEqual([key]);
  });
});

describe('through the handler against the embedded S3 endpoint', () => {
  test('the same object version delivered again after a config change leaves only the new outputs', async () => {
    const bucket = { raw: 'acme-test-replay-raw', standardized: 'acme-test-replay-standardized' };
    const lake = await startEmbeddedS3({ directory: fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-replay-')), region: 'eu-west-1', buckets: Object.values(bucket) });
    try {
      const environment = (name: ConfigName) => toEnvironment(transformSettingsOf(
        { datasets: [CONFIGS[name]], transform: { rowGroupRows: 1000, parquetIntegerEncoding: 'delta' as const, memoryMb: 1024, timeoutSeconds: 300 } },
        bucket.standardized, { s3Endpoint: lake.endpoint, powertools: { logLevel: 'SILENT', metricsDisabled: true } }));
      // The handler reads its settings when it loads: each config gets its own module instance.
      const load = (name: ConfigName) => {
        let transform!: ReturnType<typeof lake.loadTransform>;
        jest.isolateModules(() => { transform = lake.loadTransform(environment(name)); });
        return transform;
      };
      const object = await lake.upload(bucket.raw, 'landing/prices/a.csv', CSV);
      expect(await load('refusing').deliver([object])).toEqual([]);
      const before = await lake.keys(bucket.standardized);
      expect(before.filter((key) => key.startsWith('quarantine/'))).toHaveLength(1);
      expect(await load('monthly').deliver([object])).toEqual([]);
      const after = await lake.keys(bucket.standardized);
      // No quarantine file, no daily partitions, one manifest: the month's file, its manifest and the record.
      const sourceId = /^outputs\/prices\/([0-9a-f]{20})\.json$/.exec(after.find((key) => key.startsWith('outputs/')) ?? '')?.[1];
      expect(after).toEqual([
        expect.stringMatching(new RegExp(`^manifests/prices/\\d{4}-\\d{2}-\\d{2}/${sourceId}\\.json$`)),
        `outputs/prices/${sourceId}.json`,
        `prices/month=2024-01/part-${sourceId}-00000.parquet`,
      ]);
    } finally {
      await lake.stop();
    }
  });
});

/**
 * A Spark writer's temporary and marker files never become data, through the real transform
 * handler on the embedded S3 endpoint. These are the objects the database pull's write creates
 * under its folder (glue-scripts/src/lakeworks_ingest/database_pull.py), each an Object Created
 * event on S3: the task attempt's file, the committed task's copy, Hadoop's checksum, the job's
 * _SUCCESS marker, and last the file under its final name, which alone is transformed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { hiddenNameOf } from '../../contract/raw-layout';
import { toEnvironment, transformSettingsOf } from '../../contract/transform-settings';
import { startEmbeddedS3 } from '../../tools/local/embedded-lake';
import { sampleConfig } from '../helpers/sample-app';

const RAW = 'acme-test-marketing-raw';
const STANDARDIZED = 'acme-test-marketing-standardized';
const marketing = sampleConfig().lobs.find((lob) => lob.name === 'marketing')!;

const FOLDER = 'landing/accounts/updated_at=start_20240101T110000000000Z';
const PART = 'part-00000-5f0c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f-c000.json.gz';
const ROWS = gzipSync([
  '{"account_id":1,"name":"Initech","industry":"software","created_at":"2023-05-01T09:00:00.000000Z","updated_at":"2024-01-01T10:00:00.000000Z"}',
  '{"account_id":2,"name":"Globex","annual_revenue":1250000.5,"created_at":"2023-06-01T09:00:00.000000Z","updated_at":"2024-01-01T11:00:00.000000Z"}',
].join('\n'));
/** A Hadoop checksum file: the magic `crc\0`, the bytes per checksum, then CRC32s. Binary: unreadable as data. */
const CHECKSUM = Buffer.from([0x63, 0x72, 0x63, 0x00, 0x00, 0x00, 0x02, 0x00, 0x8d, 0x3a, 0x51, 0x7e]);

const SPARK_WRITE: ReadonlyArray<readonly [string, Buffer]> = [
  [`${FOLDER}/_temporary/0/_temporary/attempt_202401011100001234567890123456789_0002_m_000000_2/${PART}`, ROWS],
  [`${FOLDER}/_temporary/0/_temporary/attempt_202401011100001234567890123456789_0002_m_000000_2/.${PART}.crc`, CHECKSUM],
  [`${FOLDER}/_temporary/0/task_202401011100001234567890123456789_0002_m_000000/${PART}`, ROWS],
  [`${FOLDER}/.${PART}.crc`, CHECKSUM],
  [`${FOLDER}/_SUCCESS`, Buffer.alloc(0)],
  [`${FOLDER}/${PART}`, ROWS],
];

test('hidden names are folders or files beginning with _ or . anywhere in the key', () => {
  expect(SPARK_WRITE.map(([key]) => hiddenNameOf(key))).toEqual(['_temporary', '_temporary', '_temporary', `.${PART}.crc`, '_SUCCESS', undefined]);
  expect(hiddenNameOf('landing/stock_prices/2024/prices_2024-01-02.csv')).toBeUndefined();
  expect(hiddenNameOf('landing/stock_prices/api/symbol=IBM/2024-01-02/page-0001.json')).toBeUndefined();
});

test('the temporary, checksum and marker objects of a Spark write produce nothing; the final file is transformed once', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-hidden-'));
  const lake = await startEmbeddedS3({ directory: path.join(work, 's3'), region: 'eu-west-1', buckets: [RAW, STANDARDIZED] });
  const logged: string[] = [];
  const capture = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { logged.push(String(chunk)); return true; });
  try {
    const transform = lake.loadTransform(toEnvironment(transformSettingsOf(marketing, STANDARDIZED, { s3Endpoint: lake.endpoint, powertools: { logLevel: 'INFO', metricsDisabled: true } })));
    const objects = [];
    for (const [key, body] of SPARK_WRITE) objects.push(await lake.upload(RAW, key, body));
    expect(await transform.deliver(objects)).toEqual([]);
    const keys = await lake.keys(STANDARDIZED);
    expect(keys.filter((key) => key.startsWith('quarantine/'))).toEqual([]);
    const manifests = keys.filter((key) => key.startsWith('manifests/'));
    expect(manifests).toHaveLength(1);
    const manifest = JSON.parse(await (await lake.s3.send(new GetObjectCommand({ Bucket: STANDARDIZED, Key: manifests[0] }))).Body!.transformToString());
    expect(manifest.source.key).toBe(`${FOLDER}/${PART}`);
    expect(manifest.records).toEqual({ read: 2, written: 2, quarantined: 0, rounded: 0 });
    expect(keys.filter((key) => key.startsWith('accounts/'))).toHaveLength(1);
  } finally {
    capture.mockRestore();
    await lake.stop();
  }
  const skipped = logged.flatMap((line) => line.split('\n')).filter((line) => line.includes('"message":"skipped"')).map((line) => JSON.parse(line));
  expect(skipped.map((entry) => entry.source)).toEqual(SPARK_WRITE.slice(0, -1).map(([key]) => `s3://${RAW}/${key}`));
  expect(skipped[0]).toMatchObject({ dataset: 'accounts', reason: 'hidden name _temporary: a writer\'s temporary or marker file, not data' });
}, 60_000);

/**
 * What the transform benchmark measures, bundled by bench/bundle.ts exactly as Lambda's code is
 * (see lib/constructs/lambda-bundling.ts) into the benchmark's child processes: each contender
 * reads the same CSV bytes, cut into 64 KiB chunks as an S3 body arrives, and returns the rows it
 * handled.
 */
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { PassThrough, type Readable } from 'node:stream';
import { type CompiledDataset, compileDataset } from '../lambda/transform/compiled-dataset';
import { DEFAULT_CONFIG_DIR, loadLakeConfig } from '../lib/config/load-config';
import { type CsvRecordHandler, CsvTokenizer, asciiBytes } from '../lambda/transform/csv-tokenizer';
import { transformObject } from '../lambda/transform/transform-object';
import { chunked } from './stock-input';

/** Outputs are dropped: the benchmark measures the transform, not a store. */
const DISCARD = { put: async () => undefined, get: async () => undefined, remove: async () => undefined };
const SOURCE = { bucket: 'bench', key: 'landing/stock_prices/bench.csv', version: '1' };
const INGESTED_AT = new Date('2024-01-02T22:10:05Z');

/** The sample config's finance.stock_prices, compiled: the dataset whose rows stock-input.ts generates. */
export function stockPricesDataset(): CompiledDataset {
  // From the working directory, as the config is: a bundle's own directory is not in the repository.
  const finance = loadLakeConfig(DEFAULT_CONFIG_DIR, path.resolve('glue-scripts', 'sql')).lobs.find((lob) => lob.name === 'finance')!;
  return compileDataset(finance.datasets.find((dataset) => dataset.name === 'stock_prices')!);
}

/** Parse + validate + Parquet encode: the transform Lambda's own code path. */
export async function transformRows(input: Buffer | Readable, dataset: CompiledDataset): Promise<number> {
  const result = await transformObject(SOURCE, Buffer.isBuffer(input) ? chunked(input) : input, dataset, DISCARD, { ingestedAt: INGESTED_AT });
  if (result.quarantined !== 0) throw new Error(`the benchmark input should be valid, but ${result.quarantined} rows were quarantined`);
  return result.written;
}

/**
 * The CSV tokenizer alone, decoding and splitting every record into its fields: the work nobody
 * can skip. Given each chunk's bytes as the transform's reader gives them (asciiBytes).
 */
export async function parseOnlyRows(input: Buffer): Promise<number> {
  const tokenizer = new CsvTokenizer();
  const decoder = new StringDecoder('utf8');
  let records = 0;
  const count: CsvRecordHandler = { record: () => { records++; }, malformed: () => { records++; } };
  for await (const chunk of chunked(input)) {
    const text = decoder.write(chunk as Buffer);
    tokenizer.push(text, false, count, asciiBytes(text, chunk as Buffer));
  }
  tokenizer.push(decoder.end(), true, count);
  return records - 1; // the header
}

/** The same tokenizer feeding parquetjs-lite, the baseline library, row by row as it documents. */
export async function parquetjsLiteRows(input: Buffer): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const parquet = require('parquetjs-lite');
  const schema = new parquet.ParquetSchema({
    ticker: { type: 'UTF8' }, date: { type: 'DATE' },
    open: { type: 'DOUBLE', optional: true }, high: { type: 'DOUBLE', optional: true }, low: { type: 'DOUBLE', optional: true },
    close: { type: 'DOUBLE' }, adj_close: { type: 'DOUBLE', optional: true }, volume: { type: 'INT64', optional: true },
  });
  const sink = new PassThrough();
  sink.resume();
  const writer = await parquet.ParquetWriter.openStream(schema, sink, { compression: 'SNAPPY' });
  const tokenizer = new CsvTokenizer();
  const decoder = new StringDecoder('utf8');
  let rows = 0;
  let header = true;
  const parsed: Array<Array<string | undefined>> = [];
  const collect: CsvRecordHandler = {
    record: (_line, fields) => {
      if (header) header = false;
      else parsed.push(fields);
    },
    malformed: (line, reason) => { throw new Error(`benchmark input line ${line}: ${reason}`); },
  };
  const appendParsed = async () => {
    for (const f of parsed.splice(0)) {
      rows++;
      await writer.appendRow({
        ticker: f[0], date: new Date(f[1]!), open: Number(f[2]), high: Number(f[3]), low: Number(f[4]), close: Number(f[5]), adj_close: Number(f[6]), volume: Number(f[7]),
      });
    }
  };
  for await (const chunk of chunked(input)) {
    const text = decoder.write(chunk as Buffer);
    tokenizer.push(text, false, collect, asciiBytes(text, chunk as Buffer));
    await appendParsed();
  }
  tokenizer.push(decoder.end(), true, collect);
  await appendParsed();
  await writer.close();
  return rows;
}

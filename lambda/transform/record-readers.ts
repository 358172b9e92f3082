/**
 * Readers turn a decoded text stream into raw records aligned to the dataset's columns, calling
 * `onRecord` for each (Parquet objects are read by byte ranges instead: parquet-reader.ts). A
 * reader never drops input: every record it finds is passed on, valid or not, with the line (or
 * position) where it starts. Structural damage that makes the rest of the
 * object unreadable (truncated JSON, binary content) throws UnreadableObjectError.
 */
import { StringDecoder } from 'node:string_decoder';
import { JSONParser } from '@streamparser/json';
import type { ColumnMatch } from './column-matching';
import type { CompiledDataset } from './compiled-dataset';
import { type CsvLayout, csvCharacters, headerLayout, positionalLayout } from './csv-dialect';
import { compileJsonShape, readJsonDocument, recordValues } from './json-shapes';
import { type CsvRecordHandler, CsvTokenizer, asciiBytes } from './csv-tokenizer';
import type { ScannedNumbers } from './scanned-numbers';

/**
 * Receives the records a reader finds. Column i's raw value is `values[positions[i]]` (undefined
 * when positions[i] is -1): CSV records keep their fields in file order and share one positions
 * array. Either method may return a promise (a flush) that the reader awaits before reading on.
 * Arguments rather than a record object: this runs once per row.
 */
export interface RecordSink {
  /**
   * A record read, and the line (or position) where it starts. CSV readers also pass the numbers
   * read from the fields of numeric columns while tokenizing, by field position; such a field's
   * value is undefined when it read as a number, and `numbers` has its text (withText).
   */
  record(line: number, values: readonly unknown[], positions: ArrayLike<number>, numbers?: ScannedNumbers): void | Promise<void>;
  /** A record that cannot be read at all (malformed CSV, invalid JSON): why, and its text. */
  unreadable(line: number, reason: string, text: string): void | Promise<void>;
  /** CSV and Parquet: how the object's columns map to the schema's, once, before its first record (drift, or why none can be read). */
  layout?(layout: ColumnMatch): void | Promise<void>;
}

export class UnreadableObjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableObjectError';
  }
}

/** Text with a NUL in it is not CSV or JSON: most likely an image, an archive or a wrong codec. */
function assertText(chunk: string, offset: number): void {
  const nul = chunk.indexOf('\u0000');
  if (nul !== -1) throw new UnreadableObjectError(`binary content (NUL byte at character ${offset + nul})`);
}

/** Decodes the stream's chunks, passing each one's text and the bytes it was decoded from (none for the decoder's end). */
export async function forEachTextChunk(stream: AsyncIterable<Uint8Array>, onChunk: (text: string, final: boolean, chunk?: Uint8Array) => Promise<void> | void): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let offset = 0;
  for await (const chunk of stream) {
    const text = decoder.write(chunk);
    assertText(text, offset);
    offset += text.length;
    await onChunk(text, false, chunk);
  }
  await onChunk(decoder.end(), true);
}

/** Collects the promises sinks return while a chunk is processed, and awaits them together. */
export class PendingFlushes {
  private pending: Promise<void>[] = [];
  public add(result: void | Promise<void>): void {
    if (result) this.pending.push(result);
  }
  public async settle(): Promise<void> {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    await Promise.all(pending);
  }
}

export async function readCsv(stream: AsyncIterable<Uint8Array>, dataset: CompiledDataset, sink: RecordSink): Promise<void> {
  const characters = csvCharacters(dataset);
  const tokenizer = new CsvTokenizer(characters);
  const delimiter = String.fromCharCode(characters.delimiter);
  const hasHeader = dataset.config.csv?.header !== false;
  const flushes = new PendingFlushes();
  let layout: CsvLayout | undefined; // how fields map to columns (csv-dialect.ts), from the header or the first record
  let numbers: ScannedNumbers | undefined;
  const handler: CsvRecordHandler = {
    record(line, fields) {
      let numbersNow = numbers;
      if (!layout) {
        // strings: nothing is scanned before the layout is known
        layout = hasHeader ? headerLayout(dataset, fields as string[]) : positionalLayout(dataset, fields.length);
        flushes.add(sink.layout?.(layout));
        // The fields of numeric columns are read as numbers while tokenizing (scanned-numbers.ts).
        if (!layout.problem && layout.numericFields.includes(true)) numbers = tokenizer.scanNumbers(layout.numericFields);
        if (hasHeader) return;
      }
      if (layout.problem !== undefined || (layout.exactWidth ? fields.length !== layout.width : fields.length < layout.width)) {
        const text = (numbersNow ? numbersNow.withText(fields) : fields).join(delimiter);
        const reason = layout.problem ?? (layout.exactWidth
          ? `expected ${layout.width} fields as in the header, got ${fields.length}`
          : `expected at least ${layout.width} fields (the highest column position), got ${fields.length}`);
        flushes.add(sink.unreadable(line, reason, text));
        return;
      }
      flushes.add(sink.record(line, fields, layout.positions, numbersNow));
    },
    malformed(line, reason, text) {
      flushes.add(sink.unreadable(line, reason, text));
    },
  };
  await forEachTextChunk(stream, async (text, final, chunk) => {
    tokenizer.push(text, final, handler, chunk && asciiBytes(text, chunk));
    await flushes.settle();
  });
}

/** JSON records hold their values in column order. */
const identity = (dataset: CompiledDataset) => Int32Array.from(dataset.columns, (_, index) => index);

function valuesOf(object: unknown, dataset: CompiledDataset): unknown[] | string {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return 'expected a JSON object';
  const values = new Array<unknown>(dataset.columns.length);
  dataset.columns.forEach((column, index) => { values[index] = (object as Record<string, unknown>)[column.name]; });
  return values;
}

export async function readJsonLines(stream: AsyncIterable<Uint8Array>, dataset: CompiledDataset, sink: RecordSink): Promise<void> {
  const flushes = new PendingFlushes();
  const positions = identity(dataset);
  const shape = compileJsonShape(dataset); // json.fields: values by path inside each line's object
  let pending = '';
  let line = 0;
  const handle = (text: string) => {
    line++;
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (trimmed.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      flushes.add(sink.unreadable(line, `invalid JSON: ${(error as Error).message}`, trimmed));
      return;
    }
    const values = recordValues(parsed, shape);
    flushes.add(typeof values === 'string' ? sink.unreadable(line, values, trimmed) : sink.record(line, values, positions));
  };
  await forEachTextChunk(stream, async (text, final) => {
    let start = 0;
    const combined = pending + text;
    for (let newline = combined.indexOf('\n'); newline !== -1; newline = combined.indexOf('\n', start)) {
      handle(combined.slice(start, newline));
      start = newline + 1;
    }
    pending = combined.slice(start);
    if (final && pending !== '') {
      handle(pending);
      pending = '';
    }
    await flushes.settle();
  });
}

/**
 * Documents whose object keys carry values: with nestedKeys [from, to, date],
 * `{"USD": {"GBP": {"2010-01-04": {"open": 1.6}}}}` is one record
 * `{from: USD, to: GBP, date: 2010-01-04, open: 1.6}`. The document is parsed as a stream, so
 * only one innermost object is held at a time. Records are numbered in document order.
 */
export async function readNestedJson(stream: AsyncIterable<Uint8Array>, dataset: CompiledDataset, sink: RecordSink): Promise<void> {
  const keys = dataset.config.nestedKeys ?? [];
  const keyIndexes = keys.map((name) => dataset.columnIndex.get(name)!);
  const flushes = new PendingFlushes();
  const positions = identity(dataset);
  const parser = new JSONParser({ paths: [`$${'.*'.repeat(keys.length)}`], keepStack: false });
  let position = 0;
  let failure: Error | undefined;
  parser.onValue = ({ value, stack, key }) => {
    position++;
    const path = [...stack.slice(1).map((entry) => String(entry.key)), String(key)];
    const values = valuesOf(value, dataset);
    const where = path.join('/');
    if (typeof values === 'string') {
      flushes.add(sink.unreadable(position, `${values} at ${where}`, JSON.stringify(value)?.slice(0, 500) ?? ''));
      return;
    }
    keyIndexes.forEach((column, level) => { values[column] = path[level]; });
    flushes.add(sink.record(position, values, positions));
  };
  parser.onError = (error) => { failure = error; };
  let sawInput = false;
  await forEachTextChunk(stream, async (text, final) => {
    if (failure) return;
    if (text.trim() !== '') sawInput = true;
    try {
      if (text !== '') parser.write(text);
      if (final && sawInput && !parser.isEnded) parser.end();
    } catch (error) {
      failure = error as Error;
    }
    await flushes.settle();
  });
  if (failure) throw new UnreadableObjectError(`not a complete JSON document: ${failure.message}`);
  if (!sawInput) throw new UnreadableObjectError('empty document');
  if (!parser.isEnded) throw new UnreadableObjectError('truncated JSON document');
}

/** A reader of a text format's stream; Parquet is read by byte ranges instead (parquet-reader.ts). */
export type StreamReader = (stream: AsyncIterable<Uint8Array>, dataset: CompiledDataset, sink: RecordSink) => Promise<void>;

export function readerFor(dataset: CompiledDataset): StreamReader {
  switch (dataset.config.format) {
    case 'csv': return readCsv;
    case 'jsonl': return readJsonLines;
    case 'nested_json': return readNestedJson;
    case 'json': return readJsonDocument;
    case 'parquet': throw new Error(`dataset ${dataset.name}: Parquet is read by byte ranges (parquet-reader.ts), not as a stream`);
  }
}

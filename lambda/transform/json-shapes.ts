/**
 * Reads JSON documents whose records sit at a path (contract/json-shape.ts): the elements of one
 * top-level array, or the entries of an object nested in an API response such as Alpha Vantage's
 * `{"Meta Data": {...}, "Time Series (Daily)": {"2024-01-02": {"1. open": "187.15", ...}}}`.
 * The document is parsed as a stream: the parser keeps only the record being read (and values
 * outside any selected one are dropped as soon as they end), so memory does not grow with the
 * document. Entry keys become columns (keyAs), fields are found by path inside a record, and
 * document fields (outside the records) are remembered when seen and copied into each record.
 */
import { JSONParser } from '@streamparser/json';
import { type DatasetJsonShape, type JsonPathStep, jsonSelectors } from '../../contract/json-shape';
import type { CompiledDataset } from './compiled-dataset';
import { PendingFlushes, type RecordSink, UnreadableObjectError, forEachTextChunk } from './record-readers';

/** Where each column's value comes from, by column index. */
export interface CompiledJsonShape {
  readonly recordPath: readonly JsonPathStep[];
  /** Per column: the key path inside a record, or undefined when the value comes from elsewhere. */
  readonly fieldPaths: ReadonlyArray<readonly string[] | undefined>;
  /** Record path level to the column its key fills. */
  readonly keyColumns: ReadonlyArray<readonly [level: number, column: number]>;
  /** Document field path and the column it fills. */
  readonly documentFields: ReadonlyArray<{ readonly path: readonly string[]; readonly column: number; readonly name: string; readonly required: boolean }>;
}

export function compileJsonShape(dataset: CompiledDataset, shape: DatasetJsonShape = dataset.config.json ?? {}): CompiledJsonShape {
  const column = (name: string) => {
    const index = dataset.columnIndex.get(name);
    if (index === undefined) throw new Error(`dataset ${dataset.name}: json shape names ${name}, which is not a column`);
    return index;
  };
  const recordPath = shape.recordPath ?? [];
  const keyColumns = recordPath.flatMap((step, level) => (typeof step === 'object' && step.keyAs !== undefined ? [[level, column(step.keyAs)] as const] : []));
  const documentFields = Object.entries(shape.documentFields ?? {}).map(([name, path]) => ({ path, column: column(name), name, required: !dataset.columns[column(name)].nullable }));
  const elsewhere = new Set([...keyColumns.map(([, index]) => index), ...documentFields.map((field) => field.column)]);
  const fields = shape.fields ?? {};
  const fieldPaths = dataset.columns.map((spec, index) => (elsewhere.has(index) ? undefined : fields[spec.name] ?? [spec.name]));
  return { recordPath, fieldPaths, keyColumns, documentFields };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at `path` inside `object`, undefined where a key is missing. */
function valueAt(object: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A record's values in column order (keys and document fields left for the caller), or why it is not a record. */
export function recordValues(record: unknown, shape: CompiledJsonShape): unknown[] | string {
  if (!isObject(record)) return 'expected a JSON object';
  const values = new Array<unknown>(shape.fieldPaths.length);
  for (let index = 0; index < values.length; index++) {
    const path = shape.fieldPaths[index];
    if (path !== undefined) values[index] = valueAt(record, path);
  }
  return values;
}

function matchesRecordPath(path: readonly (string | number)[], steps: readonly JsonPathStep[]): boolean {
  if (path.length !== steps.length) return false;
  for (let level = 0; level < steps.length; level++) {
    const step = steps[level];
    if (typeof step === 'string' && String(path[level]) !== step) return false;
  }
  return true;
}

const samePath = (path: readonly (string | number)[], keys: readonly string[]) =>
  path.length === keys.length && keys.every((key, level) => String(path[level]) === key);

/** Reads a JSON document (format `json`), record by record, in document order. */
export async function readJsonDocument(stream: AsyncIterable<Uint8Array>, dataset: CompiledDataset, sink: RecordSink): Promise<void> {
  const shape = compileJsonShape(dataset);
  const selectors = jsonSelectors(dataset.config.json ?? {});
  const positions = Int32Array.from(dataset.columns, (_, index) => index);
  const flushes = new PendingFlushes();
  const documentValues = new Map<number, unknown>();
  const parser = new JSONParser({ paths: [...new Set([selectors.records, ...Object.values(selectors.documentFields)])], keepStack: false });
  let position = 0;
  let failure: Error | undefined;
  parser.onValue = ({ value, stack, key }) => {
    const path = [...stack.slice(1).map((entry) => entry.key as string | number), key as string | number];
    if (stack.length === 0) path.length = 0; // the root itself
    for (const field of shape.documentFields) if (samePath(path, field.path)) documentValues.set(field.column, value);
    if (!matchesRecordPath(path, shape.recordPath)) return;
    position++;
    const where = path.join('/');
    const values = recordValues(value, shape);
    if (typeof values === 'string') {
      flushes.add(sink.unreadable(position, `${values} at ${where}`, JSON.stringify(value)?.slice(0, 500) ?? ''));
      return;
    }
    for (const [level, column] of shape.keyColumns) values[column] = String(path[level]);
    for (const field of shape.documentFields) {
      if (documentValues.has(field.column)) values[field.column] = documentValues.get(field.column);
      else if (field.required) {
        flushes.add(sink.unreadable(position,
          `document field ${field.name} (${field.path.join('/')}) was not found before the record at ${where}: it must precede the records in the document`,
          JSON.stringify(value)?.slice(0, 500) ?? ''));
        return;
      }
    }
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

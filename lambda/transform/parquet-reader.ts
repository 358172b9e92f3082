/**
 * Reads a Parquet object's records (record-readers.ts's contract): the footer first, then one
 * row group at a time, so memory holds at most one row group of the object (its column chunks,
 * fetched by byte range, and its rows), whatever the object's size.
 *
 * The file's top-level columns map to the schema's by name, or by a column's `source`, with the
 * dataset's drift policy (column-matching.ts); only the columns the schema reads are fetched.
 * Values are handed over as raw values with their Parquet type (parquet-columns.ts), and the
 * column converters check them against the schema like any other format's.
 *
 * An object that is not Parquet (no `PAR1` magic, a truncated footer) or whose pages cannot be
 * decoded is unreadable (UnreadableObjectError). A failed range read is not: it is thrown as it
 * is, for the message to be retried.
 */
import { type AsyncBuffer, type FileMetaData, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { type ColumnMatch, matchColumns, quotedList } from './column-matching';
import type { CompiledDataset } from './compiled-dataset';
import type { ByteRanges } from './object-bytes';
import { PARQUET_DECOMPRESSORS } from './parquet-compressors';
import { type ParquetColumn, PARSERS, parquetColumns, physicalMetadata } from './parquet-columns';
import { type RecordSink, UnreadableObjectError } from './record-readers';

/**
 * The footer is read with one request of the object's last bytes when it fits in them (a second
 * request when not): large enough for the footers of files of hundreds of columns, small enough
 * that the request never reaches far into the last row group.
 */
export const FOOTER_FETCH_BYTES = 64 * 1024;

const GZIP_MAGIC = [0x1f, 0x8b];

/** hyparquet's view of the byte ranges; remembers a failed read, which is not the object's fault. */
class RangeBuffer implements AsyncBuffer {
  public readFailure: unknown;
  constructor(private readonly bytes: ByteRanges) {}
  public get byteLength(): number { return this.bytes.byteLength; }
  public async slice(start: number, end?: number): Promise<ArrayBuffer> {
    try {
      const bytes = await this.bytes.read(start, end ?? this.bytes.byteLength);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    } catch (error) {
      this.readFailure ??= error;
      throw error;
    }
  }
}

/** Runs a hyparquet call: a failed read is thrown as it is, anything else it throws makes the object unreadable. */
async function decoding<T>(file: RangeBuffer, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (file.readFailure !== undefined) throw file.readFailure;
    throw new UnreadableObjectError(`${what}: ${(error as Error).message}`);
  }
}

async function footerOf(file: RangeBuffer, bytes: ByteRanges): Promise<FileMetaData> {
  if (bytes.byteLength === 0) throw new UnreadableObjectError('not a Parquet file: the object is empty');
  try {
    return await decoding(file, 'not a Parquet file', () => parquetMetadataAsync(file, { initialFetchSize: FOOTER_FETCH_BYTES, geoparquet: false }));
  } catch (error) {
    if (!(error instanceof UnreadableObjectError)) throw error;
    // Parquet compresses its pages itself; a gzip-compressed file is the commonest wrong upload.
    const head = await bytes.read(0, Math.min(2, bytes.byteLength));
    if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
      throw new UnreadableObjectError('not a Parquet file: gzip-compressed (Parquet compresses its pages itself; upload the .parquet file as it is)');
    }
    throw error;
  }
}

/** Maps the file's columns to the schema's; a schema column of a type that cannot be read refuses the object. */
function layoutOf(dataset: CompiledDataset, columns: readonly ParquetColumn[]): ColumnMatch {
  const names = columns.map((column) => column.name);
  const shown = names.length > 20 ? [...names.slice(0, 20), '…'] : names;
  const match = matchColumns(dataset, names, { found: `found the Parquet columns ${quotedList(shown)}`, mapHint: 'map a column to its Parquet column name with source' });
  if (match.problem !== undefined) return match;
  const unreadable = [...match.positions].filter((position) => position >= 0 && columns[position].unsupported !== undefined);
  if (unreadable.length === 0) return match;
  const reasons = [...new Set(unreadable)].map((position) => `column ${JSON.stringify(columns[position].name)}: ${columns[position].unsupported}`);
  return { ...match, problem: `found Parquet columns the schema reads that cannot be read: ${reasons.join('; ')}` };
}

/** Quarantined records of a refused object show what the file held: values as JSON allows them. */
const asJson = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

export async function readParquet(bytes: ByteRanges, dataset: CompiledDataset, sink: RecordSink): Promise<void> {
  const file = new RangeBuffer(bytes);
  const footer = await footerOf(file, bytes);
  const columns = parquetColumns(footer);
  const layout = layoutOf(dataset, columns);
  const pending = sink.layout?.(layout);
  if (pending) await pending;

  // What is fetched: the columns the schema reads, or, for a refused object, every readable column to show in quarantine.
  const fetched = layout.problem === undefined
    ? [...new Set([...layout.positions].filter((position) => position >= 0))]
    : columns.map((_, position) => position).filter((position) => columns[position].unsupported === undefined);
  const fetchedNames = fetched.map((position) => columns[position].name);
  const converters = fetched.map((position) => columns[position].toRaw);
  // Schema column -> index into a fetched row.
  const positions = Int32Array.from(layout.positions, (position) => fetched.indexOf(position));
  const metadata = physicalMetadata(footer);

  let groupStart = 0;
  for (const [groupIndex, group] of footer.row_groups.entries()) {
    const groupRows = Number(group.num_rows);
    const groupEnd = groupStart + groupRows;
    let rows: unknown[][] = [];
    if (fetched.length === 0) {
      // Nothing to fetch (every column the schema names is missing): the rows are there all the same.
      rows = Array.from({ length: groupRows }, () => []);
    } else if (groupRows > 0) {
      await decoding(file, `row group ${groupIndex + 1} of ${footer.row_groups.length} cannot be read`, () => parquetRead({
        file, metadata, columns: fetchedNames, rowStart: groupStart, rowEnd: groupEnd, utf8: false,
        parsers: PARSERS, compressors: PARQUET_DECOMPRESSORS, onComplete: (data: unknown[][]) => { rows = data; },
      }));
    }
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index];
      for (let column = 0; column < converters.length; column++) row[column] = converters[column](row[column]);
      const line = groupStart + index + 1;
      const result = layout.problem === undefined
        ? sink.record(line, row, positions)
        : sink.unreadable(line, layout.problem, JSON.stringify(Object.fromEntries(fetchedNames.map((name, column) => [name, row[column] ?? null])), asJson));
      if (result) await result;
    }
    groupStart = groupEnd;
  }
}

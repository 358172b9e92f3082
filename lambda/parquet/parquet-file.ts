/**
 * Encodes one Parquet file holding one row group of flat (non-nested) columns.
 *
 * Why our own encoder: the transform must encode at least half as fast as it parses (see
 * docs/benchmarks.md); the JavaScript Parquet libraries build per-row objects or per-value
 * statistics and are many times slower. This file writes exactly the subset the lake needs,
 * in the most widely readable form (Parquet format 1, data page V1, as Hive, Spark, Athena and
 * DuckDB all read):
 *
 * - PLAIN values, but strings dictionary-encoded (PLAIN_DICTIONARY) when that halves them or
 *   better, and integers (dates, timestamps and decimals of up to 18 digits included)
 *   DELTA_BINARY_PACKED when that is smaller (see delta-binary-packed.ts);
 * - definition levels as RLE runs for nullable columns;
 * - SNAPPY-compressed pages; min/max/null-count statistics so engines can skip row groups;
 * - logical types: STRING, DATE, TIMESTAMP(UTC, MICROS), DECIMAL as INT32 (up to 9 digits),
 *   INT64 (up to 18) or FIXED_LEN_BYTE_ARRAY (more), as the format recommends and Spark writes.
 *
 * Every file it writes is read back by DuckDB and hyparquet in the tests.
 */
import type { ColumnBuffer, ColumnSpec } from './column-buffer';
import { deltaEncodable, encodeDeltaBinaryPacked, maxDeltaBinaryPackedLength } from './delta-binary-packed';
import type { IntegerEncoding } from '../../contract/integer-encoding';
import { CompressedPages, ScratchBuffer } from './reused-buffers';
import { ThriftWriter } from './thrift-compact';

const MAGIC = Buffer.from('PAR1', 'ascii');

/**
 * A page body lives in `pageBodies` until it is compressed into `compressedPages`, where the
 * file's pages stay until the file is copied out: see reused-buffers.ts for why.
 */
const pageBodies = new ScratchBuffer(1 << 20);
const compressedPages = new CompressedPages(1 << 20);

const enum PhysicalType { Boolean = 0, Int32 = 1, Int64 = 2, Double = 5, ByteArray = 6, FixedLenByteArray = 7 }
const enum Repetition { Required = 0, Optional = 1 }
const enum ConvertedType { Utf8 = 0, Decimal = 5, Date = 6, TimestampMicros = 10, Int64 = 18, Int32 = 17 }
const enum Encoding { Plain = 0, PlainDictionary = 2, Rle = 3, DeltaBinaryPacked = 5 }
const enum PageType { DataPage = 0, DictionaryPage = 2 }
const CODEC_SNAPPY = 1;

export const CREATED_BY = 'lakeworks parquet writer 1';

/** Bytes of a big-endian two's complement integer wide enough for `precision` decimal digits (FIXED_LEN_BYTE_ARRAY decimals). */
export function decimalByteWidth(precision: number): number {
  let bytes = 1;
  while (2 ** (8 * bytes - 1) <= 10 ** precision) bytes++;
  return bytes;
}

function physicalTypeOf(spec: ColumnSpec): PhysicalType {
  switch (spec.kind) {
    case 'string': return PhysicalType.ByteArray;
    case 'int': case 'date': return PhysicalType.Int32;
    case 'bigint': case 'timestamp': return PhysicalType.Int64;
    case 'double': return PhysicalType.Double;
    case 'boolean': return PhysicalType.Boolean;
    case 'decimal':
      if (spec.precision! <= 9) return PhysicalType.Int32;
      return spec.precision! <= 18 ? PhysicalType.Int64 : PhysicalType.FixedLenByteArray;
  }
}

function writeSchemaElement(writer: ThriftWriter, spec: ColumnSpec): void {
  const physicalType = physicalTypeOf(spec);
  writer.i32(1, physicalType);
  if (physicalType === PhysicalType.FixedLenByteArray) writer.i32(2, decimalByteWidth(spec.precision!));
  writer.i32(3, spec.nullable ? Repetition.Optional : Repetition.Required);
  writer.binary(4, spec.name);
  switch (spec.kind) {
    case 'string':
      writer.i32(6, ConvertedType.Utf8).struct(10, (l) => l.struct(1, () => undefined));
      break;
    case 'date':
      writer.i32(6, ConvertedType.Date).struct(10, (l) => l.struct(6, () => undefined));
      break;
    case 'timestamp':
      writer.i32(6, ConvertedType.TimestampMicros)
        .struct(10, (l) => l.struct(8, (t) => t.bool(1, true).struct(2, (unit) => unit.struct(2, () => undefined))));
      break;
    case 'decimal':
      writer.i32(6, ConvertedType.Decimal).i32(7, spec.scale!).i32(8, spec.precision!)
        .struct(10, (l) => l.struct(5, (d) => d.i32(1, spec.scale!).i32(2, spec.precision!)));
      break;
    case 'int':
      writer.i32(6, ConvertedType.Int32).struct(10, (l) => l.struct(10, (i) => i.i8(1, 32).bool(2, true)));
      break;
    case 'bigint':
      writer.i32(6, ConvertedType.Int64).struct(10, (l) => l.struct(10, (i) => i.i8(1, 64).bool(2, true)));
      break;
    default:
      break;
  }
}

/**
 * RLE/bit-packing hybrid, RLE runs only: definition levels are long runs of 1s. No `defined`
 * flags: every row has a value.
 */
function encodeDefinitionLevels(defined: Uint8Array | undefined, rowCount: number): Buffer {
  const out: number[] = [];
  const varint = (value: number) => {
    while (value >= 0x80) { out.push((value & 0x7f) | 0x80); value >>>= 7; }
    out.push(value);
  };
  if (defined === undefined && rowCount > 0) {
    varint(rowCount << 1);
    out.push(1);
  }
  let i = defined === undefined ? rowCount : 0;
  while (i < rowCount) {
    const value = defined![i];
    let run = 1;
    while (i + run < rowCount && defined![i + run] === value) run++;
    varint(run << 1);
    out.push(value);
    i += run;
  }
  const body = Buffer.from(out);
  const framed = Buffer.allocUnsafe(4 + body.length);
  framed.writeUInt32LE(body.length, 0);
  body.copy(framed, 4);
  return framed;
}

/**
 * A dictionary-encoded data page body: the definition levels (`levels`, empty for a required
 * column), then one bit-packed run of dictionary indices prefixed by the bit width.
 */
function dictionaryIndicesPage(levels: Buffer, indices: Int32Array, count: number, dictionarySize: number): Buffer {
  const bitWidth = Math.max(1, Math.ceil(Math.log2(dictionarySize)));
  const groups = Math.ceil(count / 8);
  const header: number[] = [bitWidth];
  let runHeader = (groups << 1) | 1;
  while (runHeader >= 0x80) { header.push((runHeader & 0x7f) | 0x80); runHeader >>>= 7; }
  header.push(runHeader);
  const out = pageBodies.take(levels.length + header.length + groups * bitWidth);
  levels.copy(out, 0);
  out.set(header, levels.length);
  let offset = levels.length + header.length;
  let accumulator = 0;
  let bits = 0;
  for (let i = 0; i < groups * 8; i++) {
    accumulator |= (i < count ? indices[i] : 0) << bits;
    bits += bitWidth;
    while (bits >= 8) {
      out[offset++] = accumulator & 0xff;
      accumulator >>>= 8;
      bits -= 8;
    }
  }
  return out;
}

interface EncodedValues {
  readonly bytes: Buffer;
  readonly min?: Buffer;
  readonly max?: Buffer;
}

/** A numeric column's page body, in the encoding chosen for it. */
interface EncodedNumbers extends EncodedValues {
  readonly encoding: Encoding;
}

/** Statistics longer than this would bloat the footer; engines treat absent ones as unknown. */
const MAX_STATISTICS_BYTES = 64;

/** PLAIN-encoded strings (dictionary entries) with their statistics. */
function plainStrings(values: readonly string[]): EncodedValues {
  let capacity = 0;
  for (const value of values) capacity += 4 + value.length * 3;
  const out = pageBodies.take(capacity);
  let offset = 0;
  for (const value of values) {
    const written = out.write(value, offset + 4, 'utf8');
    out.writeUInt32LE(written, offset);
    offset += 4 + written;
  }
  const bytes = out.subarray(0, offset);
  return { bytes, ...byteArrayStatistics(bytes, offset) };
}

/**
 * Min and max of the first `end` bytes of PLAIN-encoded byte arrays (each a 4-byte little-endian
 * length, then that many bytes), compared as unsigned bytes: the order Parquet defines for strings
 * (UTF-8 byte order, which JavaScript's string order is not around surrogate pairs). None when
 * there are no values or either bound is longer than MAX_STATISTICS_BYTES.
 */
function byteArrayStatistics(bytes: Uint8Array, end: number): { min?: Buffer; max?: Buffer } {
  if (end === 0) return {};
  const lengthAt = (offset: number) => (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
  let minStart = 4;
  let minLength = lengthAt(0);
  let maxStart = minStart;
  let maxLength = minLength;
  for (let offset = minStart + minLength; offset < end;) {
    const start = offset + 4;
    const length = lengthAt(offset);
    if (compareBytes(bytes, start, length, minStart, minLength) < 0) {
      minStart = start;
      minLength = length;
    } else if (compareBytes(bytes, start, length, maxStart, maxLength) > 0) {
      maxStart = start;
      maxLength = length;
    }
    offset = start + length;
  }
  if (minLength > MAX_STATISTICS_BYTES || maxLength > MAX_STATISTICS_BYTES) return {};
  return { min: Buffer.from(bytes.subarray(minStart, minStart + minLength)), max: Buffer.from(bytes.subarray(maxStart, maxStart + maxLength)) };
}

/** Compares the `aLength` bytes at `a` with the `bLength` bytes at `b`, as unsigned bytes, a shorter prefix first. */
function compareBytes(bytes: Uint8Array, a: number, aLength: number, b: number, bLength: number): number {
  const shorter = aLength < bLength ? aLength : bLength;
  for (let i = 0; i < shorter; i++) {
    const difference = bytes[a + i] - bytes[b + i];
    if (difference !== 0) return difference;
  }
  return aLength - bLength;
}

/** `levels` then `values` (which must not be in pageBodies): a page body, copied only when there are levels to put first. */
function afterLevels(levels: Buffer, values: Uint8Array): Buffer {
  if (levels.length === 0) return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const out = pageBodies.take(levels.length + values.length);
  levels.copy(out, 0);
  out.set(values, levels.length);
  return out;
}

/**
 * The data page body of a numeric column: its definition levels (`levels`, empty for a required
 * column), then its values; with the values' min and max and the encoding chosen. Values are
 * written straight after the levels, so that the page is not copied once more to put the levels
 * first.
 */
function numericValues(column: ColumnBuffer, levels: Buffer, options: ParquetFileOptions): EncodedNumbers {
  const { spec, valueCount } = column;
  const base = levels.length;
  switch (physicalTypeOf(spec)) {
    case PhysicalType.Int32:
    case PhysicalType.Int64:
      return integerValues(column, levels, options.integerEncoding !== 'plain');
    case PhysicalType.Double: {
      const typed = column.numeric as Float64Array;
      let min = Infinity; let max = -Infinity; let nan = false;
      for (let i = 0; i < valueCount; i++) { const v = typed[i]; if (Number.isNaN(v)) { nan = true; continue; } if (v < min) min = v; if (v > max) max = v; }
      const stats = valueCount > 0 && !nan && min <= max ? { min: doubleBytes(min), max: doubleBytes(max) } : {};
      return { bytes: afterLevels(levels, new Uint8Array(typed.buffer, typed.byteOffset, valueCount * 8)), encoding: Encoding.Plain, ...stats };
    }
    case PhysicalType.Boolean: {
      const typed = column.numeric as Uint8Array;
      const out = pageBodies.take(base + Math.ceil(valueCount / 8));
      levels.copy(out, 0);
      out.fill(0, base);
      let any0 = false; let any1 = false;
      for (let i = 0; i < valueCount; i++) { if (typed[i]) { out[base + (i >> 3)] |= 1 << (i & 7); any1 = true; } else any0 = true; }
      return { bytes: out, encoding: Encoding.Plain, ...(valueCount > 0 ? { min: Buffer.from([any0 ? 0 : 1]), max: Buffer.from([any1 ? 1 : 0]) } : {}) };
    }
    case PhysicalType.FixedLenByteArray:
      return wideDecimalValues(column, levels);
    default:
      throw new Error(`no numeric encoding for ${spec.kind}`);
  }
}

/**
 * Values of an INT32 or INT64 column (int, date, bigint, timestamp, decimal up to 18 digits):
 * DELTA_BINARY_PACKED when that is smaller than PLAIN, else PLAIN.
 */
function integerValues(column: ColumnBuffer, levels: Buffer, deltaAllowed: boolean): EncodedNumbers {
  const { spec, valueCount, wide } = column;
  const values = column.numeric as Int32Array | Float64Array;
  const bits = physicalTypeOf(spec) === PhysicalType.Int32 ? 32 : 64;
  const base = levels.length;
  let low = Infinity; let high = -Infinity;
  let wideMin: bigint | undefined; let wideMax: bigint | undefined;
  if (wide === undefined) {
    for (let i = 0; i < valueCount; i++) { const v = values[i]; if (v < low) low = v; if (v > high) high = v; }
  } else {
    for (let i = 0; i < valueCount; i++) {
      // Values too wide for a double are in `wide` (their slot in `values` is unused).
      const big = wide.get(i);
      if (big !== undefined) {
        if (wideMin === undefined || big < wideMin) wideMin = big;
        if (wideMax === undefined || big > wideMax) wideMax = big;
        continue;
      }
      const v = values[i];
      if (v < low) low = v; if (v > high) high = v;
    }
  }
  const bounds = mergedBounds(low, high, wideMin, wideMax);
  const statistics = bounds === undefined ? {} : bits === 32
    ? { min: int32Bytes(Number(bounds.min)), max: int32Bytes(Number(bounds.max)) }
    : { min: int64Bytes(bounds.min), max: int64Bytes(bounds.max) };

  const plainLength = valueCount * (bits / 8);
  if (deltaAllowed && wide === undefined && valueCount > 1 && deltaEncodable(low, high, bits)) {
    const out = pageBodies.take(base + maxDeltaBinaryPackedLength(valueCount));
    const end = encodeDeltaBinaryPacked(values, valueCount, out, base);
    if (end !== undefined && end - base < plainLength) {
      levels.copy(out, 0);
      return { bytes: out.subarray(0, end), encoding: Encoding.DeltaBinaryPacked, ...statistics };
    }
  }

  if (values instanceof Int32Array) {
    return { bytes: afterLevels(levels, new Uint8Array(values.buffer, values.byteOffset, plainLength)), encoding: Encoding.Plain, ...statistics };
  }
  const out = pageBodies.take(base + plainLength);
  levels.copy(out, 0);
  const view = new DataView(out.buffer, out.byteOffset + base, plainLength);
  if (bits === 32) {
    // Decimals of up to 9 digits: their unscaled values are int32s kept as doubles.
    for (let i = 0; i < valueCount; i++) view.setInt32(i * 4, values[i], true);
    return { bytes: out, encoding: Encoding.Plain, ...statistics };
  }
  for (let i = 0; i < valueCount; i++) {
    const big = wide === undefined ? undefined : wide.get(i);
    if (big !== undefined) {
      view.setBigInt64(i * 8, big, true);
      continue;
    }
    const v = values[i];
    // Most values fit in the low four bytes: no division for them.
    if (v >= 0 && v < 4294967296) {
      view.setUint32(i * 8, v, true);
      view.setInt32(i * 8 + 4, 0, true);
      continue;
    }
    const hi = Math.floor(v / 4294967296);
    view.setUint32(i * 8, v - hi * 4294967296, true);
    view.setInt32(i * 8 + 4, hi, true);
  }
  return { bytes: out, encoding: Encoding.Plain, ...statistics };
}

/**
 * Decimals of more than 18 digits, as FIXED_LEN_BYTE_ARRAY: big-endian two's complement, 9 bytes
 * or more wide. Values exact as doubles give the low 8 bytes, and their sign fills the rest.
 */
function wideDecimalValues(column: ColumnBuffer, levels: Buffer): EncodedNumbers {
  const { spec, valueCount, wide } = column;
  const typed = column.numeric as Float64Array;
  const width = decimalByteWidth(spec.precision!);
  const base = levels.length;
  const out = pageBodies.take(base + valueCount * width);
  levels.copy(out, 0);
  const view = new DataView(out.buffer, out.byteOffset + base, out.byteLength - base);
  let min = Infinity; let max = -Infinity;
  let wideMin: bigint | undefined; let wideMax: bigint | undefined;
  for (let i = 0; i < valueCount; i++) {
    const big = wide?.get(i);
    if (big !== undefined) {
      decimalBytes(big, width).copy(out, base + i * width);
      if (wideMin === undefined || big < wideMin) wideMin = big;
      if (wideMax === undefined || big > wideMax) wideMax = big;
      continue;
    }
    const v = typed[i];
    if (v < min) min = v; if (v > max) max = v;
    const hi = Math.floor(v / 4294967296);
    const end = i * width + width;
    view.setInt32(end - 8, hi, false);
    view.setUint32(end - 4, v - hi * 4294967296, false);
    out.fill(v < 0 ? 0xff : 0, base + i * width, base + end - 8);
  }
  const bounds = mergedBounds(min, max, wideMin, wideMax);
  return { bytes: out, encoding: Encoding.Plain, ...(bounds ? { min: decimalBytes(bounds.min, width), max: decimalBytes(bounds.max, width) } : {}) };
}

/**
 * Min and max of a column held partly as doubles (low..high, Infinity..-Infinity when none) and
 * partly as bigints too wide for a double; undefined when the column has no values.
 */
function mergedBounds(low: number, high: number, wideMin: bigint | undefined, wideMax: bigint | undefined): { min: bigint; max: bigint } | undefined {
  const mins = [wideMin, Number.isFinite(low) ? BigInt(low) : undefined].filter((value): value is bigint => value !== undefined);
  const maxes = [wideMax, Number.isFinite(high) ? BigInt(high) : undefined].filter((value): value is bigint => value !== undefined);
  if (mins.length === 0) return undefined;
  return { min: mins.reduce((a, b) => (b < a ? b : a)), max: maxes.reduce((a, b) => (b > a ? b : a)) };
}

const int32Bytes = (value: number) => { const b = Buffer.allocUnsafe(4); b.writeInt32LE(value); return b; };
const int64Bytes = (value: bigint) => { const b = Buffer.allocUnsafe(8); b.writeBigInt64LE(value); return b; };
const doubleBytes = (value: number) => { const b = Buffer.allocUnsafe(8); b.writeDoubleLE(value); return b; };

function decimalBytes(value: bigint, width: number): Buffer {
  const out = Buffer.allocUnsafe(width);
  let remaining = BigInt.asUintN(width * 8, value);
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(remaining & 0xffn);
    remaining >>= 8n;
  }
  return out;
}

interface EncodedChunk {
  readonly pages: Buffer[];
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  readonly dictionaryPageLength?: number;
  readonly encodings: number[];
  readonly statistics: { min?: Buffer; max?: Buffer; nullCount: number };
}

function page(type: PageType, body: Buffer, header: (writer: ThriftWriter, sizes: { uncompressed: number; compressed: number }) => void): { bytes: Buffer[]; uncompressed: number; compressed: number } {
  const compressed = compressedPages.compress(body);
  const headerBytes = ThriftWriter.struct((writer) => {
    writer.i32(1, type).i32(2, body.length).i32(3, compressed.length);
    header(writer, { uncompressed: body.length, compressed: compressed.length });
  });
  return { bytes: [headerBytes, compressed], uncompressed: headerBytes.length + body.length, compressed: headerBytes.length + compressed.length };
}

function encodeChunk(column: ColumnBuffer, options: ParquetFileOptions): EncodedChunk {
  const { spec, rowCount } = column;
  const levels = spec.nullable ? encodeDefinitionLevels(column.defined, rowCount) : Buffer.alloc(0);
  const pages: Buffer[] = [];
  let uncompressedSize = 0;
  let compressedSize = 0;
  let dictionaryPageLength: number | undefined;
  let body: Buffer;
  let valueEncoding: Encoding = Encoding.Plain;
  let statistics: EncodedValues;

  if (spec.kind === 'string') {
    const strings = column.strings!;
    if (strings.keepsDictionary()) {
      const entries = strings.entries;
      statistics = plainStrings(entries);
      const dictionaryPage = page(PageType.DictionaryPage, statistics.bytes, (writer) =>
        writer.struct(7, (d) => d.i32(1, entries.length).i32(2, Encoding.PlainDictionary)));
      pages.push(...dictionaryPage.bytes);
      uncompressedSize += dictionaryPage.uncompressed;
      compressedSize += dictionaryPage.compressed;
      dictionaryPageLength = dictionaryPage.compressed;
      body = dictionaryIndicesPage(levels, strings.indices, strings.count, entries.length);
      valueEncoding = Encoding.PlainDictionary;
    } else {
      body = afterLevels(levels, strings.bytes.subarray(0, strings.byteLength));
      statistics = { bytes: body, ...byteArrayStatistics(strings.bytes, strings.byteLength) };
    }
  } else {
    const numbers = numericValues(column, levels, options);
    statistics = numbers;
    body = numbers.bytes;
    valueEncoding = numbers.encoding;
  }

  const dataPage = page(PageType.DataPage, body, (writer) =>
    writer.struct(5, (d) => d.i32(1, rowCount).i32(2, valueEncoding).i32(3, Encoding.Rle).i32(4, Encoding.Rle)));
  pages.push(...dataPage.bytes);
  uncompressedSize += dataPage.uncompressed;
  compressedSize += dataPage.compressed;
  return {
    pages, uncompressedSize, compressedSize, dictionaryPageLength,
    encodings: [valueEncoding, Encoding.Rle],
    statistics: { min: statistics.min, max: statistics.max, nullCount: column.nullCount },
  };
}

export interface ParquetFileOptions {
  /** See contract/integer-encoding.ts. Default 'delta'. */
  readonly integerEncoding?: IntegerEncoding;
}

/** The bytes of a complete Parquet file with one row group made of `columns` (equal row counts). */
export function encodeParquetFile(columns: readonly ColumnBuffer[], options: ParquetFileOptions = {}): Buffer {
  const rowCount = columns[0]?.rowCount ?? 0;
  if (columns.some((column) => column.rowCount !== rowCount)) throw new Error('all columns of a row group must have the same row count');
  compressedPages.startFile();
  const parts: Buffer[] = [MAGIC];
  let offset = MAGIC.length;
  const chunkMeta: Array<{ spec: ColumnSpec; chunk: EncodedChunk; start: number }> = [];
  for (const column of columns) {
    const chunk = encodeChunk(column, options);
    chunkMeta.push({ spec: column.spec, chunk, start: offset });
    for (const part of chunk.pages) { parts.push(part); offset += part.length; }
  }
  const groupStart = MAGIC.length;
  const footer = ThriftWriter.struct((file) => {
    file.i32(1, 1);
    file.listOfStructs(2, [undefined, ...columns.map((c) => c.spec)], (element, spec) => {
      if (!spec) element.binary(4, 'schema').i32(5, columns.length);
      else writeSchemaElement(element, spec);
    });
    file.i64(3, rowCount);
    file.listOfStructs(4, [0], (group) => {
      group.listOfStructs(1, chunkMeta, (chunkWriter, { spec, chunk, start }) => {
        const dataPageOffset = start + (chunk.dictionaryPageLength ?? 0);
        chunkWriter.i64(2, start);
        chunkWriter.struct(3, (meta) => {
          meta.i32(1, physicalTypeOf(spec))
            .listOfI32(2, chunk.encodings)
            .listOfBinary(3, [spec.name])
            .i32(4, CODEC_SNAPPY)
            .i64(5, rowCount)
            .i64(6, chunk.uncompressedSize)
            .i64(7, chunk.compressedSize)
            .i64(9, dataPageOffset);
          if (chunk.dictionaryPageLength !== undefined) meta.i64(11, start);
          meta.struct(12, (stats) => {
            stats.i64(3, chunk.statistics.nullCount);
            if (chunk.statistics.max) stats.binary(5, chunk.statistics.max);
            if (chunk.statistics.min) stats.binary(6, chunk.statistics.min);
          });
        });
      });
      group.i64(2, chunkMeta.reduce((sum, { chunk }) => sum + chunk.uncompressedSize, 0));
      group.i64(3, rowCount);
      group.i64(5, groupStart);
      group.i64(6, chunkMeta.reduce((sum, { chunk }) => sum + chunk.compressedSize, 0));
    });
    file.binary(6, CREATED_BY);
    file.listOfStructs(7, columns, (order) => order.struct(1, () => undefined));
  });
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32LE(footer.length);
  parts.push(footer, length, MAGIC);
  // A copy: the pages are views of the reused compressedPages.
  return Buffer.concat(parts);
}


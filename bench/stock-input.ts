/**
 * Deterministic synthetic stock prices as CSV, generated lazily in chunks so that producing the
 * input costs no memory of its own (the RSS benchmark measures the transform, not the fixture).
 *
 * Rows are written straight into bytes. Built as strings (a template per row, toFixed per price),
 * a million rows made enough garbage for V8 to promote some of it at every few collections, and
 * the old space it grew counted in the transform's peak RSS at 1M rows.
 */
import { Readable } from 'node:stream';

/**
 * A market of 10,000 listed symbols, one row per symbol per trading day, like the daily files the
 * finance LoB receives; 300k rows are a month of them (30 date partitions).
 */
const SYMBOLS = 10_000;
/** Each symbol's ticker field with its comma: A, B, ..., Z, AA, AB, ... */
const TICKER_FIELDS = Array.from({ length: SYMBOLS }, (_, index) => Buffer.from(`${symbol(index)},`));

function symbol(index: number): string {
  let text = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) text = String.fromCharCode(65 + ((n - 1) % 26)) + text;
  return text;
}
export const STOCK_HEADER = 'ticker,date,open,high,low,close,adj_close,volume';
const DAY_MS = 86_400_000;
const START = Date.UTC(2000, 0, 3);
/** open, high, low, close and adj_close, in cents from the row's base price. */
const PRICE_OFFSETS_CENTS = [0, 125, -110, 40, 35];
/** More than any row takes: a 3-letter ticker, a date, five prices below 1,000 with 4 decimals, a 7-digit volume. */
const MAX_ROW_BYTES = 96;
const COMMA = 44;
const LF = 10;
const POINT = 46;
const ZERO = 48;

/** The date field (with its comma) of the trading day last asked for: rows come day by day. */
let lastDay = -1;
let lastDayField = Buffer.alloc(0);
function dayField(day: number): Buffer {
  if (day !== lastDay) {
    lastDay = day;
    lastDayField = Buffer.from(`${new Date(START + day * DAY_MS).toISOString().slice(0, 10)},`);
  }
  return lastDayField;
}

/** Writes the decimal digits of a non-negative integer at `offset`; returns the offset after them. */
function writeDigits(out: Buffer, offset: number, value: number): number {
  let length = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) length++;
  for (let at = offset + length - 1, rest = value; at >= offset; at--, rest = Math.floor(rest / 10)) out[at] = ZERO + (rest % 10);
  return offset + length;
}

/**
 * A well-mixed 32-bit hash of `n` (lowbias32, by Chris Wellons): deterministic, and as unrelated
 * from one row to the next as the prices of neighbouring tickers are. Prices that followed a
 * pattern (they once rose by a fixed step per row) would flatter any encoding of differences.
 */
function mixed(n: number): number {
  n = Math.imul(n ^ (n >>> 16), 0x7feb352d);
  n = Math.imul(n ^ (n >>> 15), 0x846ca68b);
  return (n ^ (n >>> 16)) >>> 0;
}

/**
 * Writes row `index` of the input and its line feed at `offset`; returns the offset after them.
 * Each row's base price is 50.00 plus a pseudo-random number of cents below 500.00, and its
 * prices are written with four decimals, as an exchange's end-of-day file has them.
 */
function writeRow(index: number, out: Buffer, offset: number): number {
  offset += TICKER_FIELDS[index % SYMBOLS].copy(out, offset);
  offset += dayField(Math.floor(index / SYMBOLS)).copy(out, offset);
  const baseCents = 5000 + (mixed(index) % 50000);
  for (const offsetCents of PRICE_OFFSETS_CENTS) {
    const cents = baseCents + offsetCents;
    offset = writeDigits(out, offset, Math.floor(cents / 100));
    out[offset++] = POINT;
    out[offset++] = ZERO + Math.floor((cents % 100) / 10);
    out[offset++] = ZERO + (cents % 10);
    out[offset++] = ZERO;
    out[offset++] = ZERO;
    out[offset++] = COMMA;
  }
  offset = writeDigits(out, offset, 100000 + (mixed(index ^ 0x5bd1e995) % 9000000));
  out[offset++] = LF;
  return offset;
}

/**
 * The CSV of `rows` rows as a stream of 64 KiB chunks, as an S3 GetObject body arrives (and as
 * `chunked` cuts a buffer), generated as it is read. The chunk size matters to peak memory too: V8
 * keeps a string over 128 KiB in its large-object space, which only a full collection frees.
 */
export function stockCsvStream(rows: number, chunkSize = 64 * 1024): Readable {
  let next = 0;
  let carried = Buffer.from(`${STOCK_HEADER}\n`);
  return new Readable({
    read() {
      if (next >= rows && carried.length === 0) { this.push(null); return; }
      const out = Buffer.allocUnsafe(chunkSize + MAX_ROW_BYTES);
      let end = carried.copy(out, 0);
      while (end < chunkSize && next < rows) end = writeRow(next++, out, end);
      const size = Math.min(end, chunkSize);
      carried = Buffer.from(out.subarray(size, end));
      this.push(out.subarray(0, size));
    },
  });
}

export function stockCsvBuffer(rows: number): Buffer {
  const out = Buffer.allocUnsafe(STOCK_HEADER.length + 1 + rows * MAX_ROW_BYTES);
  let end = out.write(`${STOCK_HEADER}\n`);
  for (let index = 0; index < rows; index++) end = writeRow(index, out, end);
  return Buffer.from(out.subarray(0, end));
}

/** The buffer cut into 64 KiB chunks, as an S3 GetObject body arrives. */
export function chunked(buffer: Buffer, size = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += size) chunks.push(buffer.subarray(offset, offset + size));
  return Readable.from(chunks);
}

/**
 * Deterministic synthetic stock prices as CSV, generated lazily in chunks so that producing the
 * input costs no memory of its own (the RSS benchmark measures the transform, not the fixture).
 */
import { Readable } from 'node:stream';

/**
 * A market of 10,000 listed symbols, one row per symbol per trading day, like the daily files the
 * finance LoB receives; 300k rows are a month of them (30 date partitions).
 */
const SYMBOLS = 10_000;
const TICKERS = Array.from({ length: SYMBOLS }, (_, index) => symbol(index));

function symbol(index: number): string {
  let text = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) text = String.fromCharCode(65 + ((n - 1) % 26)) + text;
  return text;
}
export const STOCK_HEADER = 'ticker,date,open,high,low,close,adj_close,volume';
const ROWS_PER_CHUNK = 2000;
const DAY_MS = 86_400_000;
const START = Date.UTC(2000, 0, 3);

export function stockRow(index: number): string {
  const ticker = TICKERS[index % TICKERS.length];
  const day = new Date(START + Math.floor(index / TICKERS.length) * DAY_MS).toISOString().slice(0, 10);
  const base = 50 + ((index * 7919) % 50000) / 100;
  const price = (offset: number) => (base + offset).toFixed(4);
  return `${ticker},${day},${price(0)},${price(1.25)},${price(-1.1)},${price(0.4)},${price(0.35)},${100000 + ((index * 104729) % 9000000)}`;
}

export function stockCsvStream(rows: number): Readable {
  let next = 0;
  return new Readable({
    read() {
      if (next === 0) this.push(`${STOCK_HEADER}\n`);
      if (next >= rows) { this.push(null); return; }
      const end = Math.min(rows, next + ROWS_PER_CHUNK);
      const lines: string[] = [];
      for (let i = next; i < end; i++) lines.push(stockRow(i));
      next = end;
      this.push(`${lines.join('\n')}\n`);
    },
  });
}

export function stockCsvBuffer(rows: number): Buffer {
  const lines = [STOCK_HEADER];
  for (let i = 0; i < rows; i++) lines.push(stockRow(i));
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** The buffer cut into 64 KiB chunks, as an S3 GetObject body arrives. */
export function chunked(buffer: Buffer, size = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += size) chunks.push(buffer.subarray(offset, offset + size));
  return Readable.from(chunks);
}

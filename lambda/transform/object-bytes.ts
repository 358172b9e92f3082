/**
 * How the transform takes one raw object's bytes. The text formats read a stream from the first
 * byte to the last. Parquet cannot: its footer, at the end, says where each row group's column
 * chunks are, so it is read by byte ranges: the footer first, then one row group at a time, and
 * never the whole object at once.
 */
import type { Readable } from 'node:stream';

export interface ByteRanges {
  /** The object's size in bytes. */
  readonly byteLength: number;
  /** The bytes from `start` (inclusive) to `end` (exclusive). */
  read(start: number, end: number): Promise<Uint8Array>;
}

/** A raw object's bytes: a stream (text formats) or byte ranges (Parquet). */
export type ObjectBytes = Readable | ByteRanges;

export function isByteRanges(bytes: ObjectBytes): bytes is ByteRanges {
  return typeof (bytes as ByteRanges).read === 'function' && typeof (bytes as ByteRanges).byteLength === 'number';
}

/** Byte ranges of bytes already in memory (an object small enough to hold, and tests). */
export function bufferByteRanges(bytes: Uint8Array): ByteRanges {
  return { byteLength: bytes.byteLength, read: async (start, end) => bytes.subarray(start, end) };
}

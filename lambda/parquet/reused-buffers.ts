/**
 * Buffers the Parquet encoder reuses from one page and one file to the next, instead of
 * allocating each page body and each compressed page afresh.
 *
 * Why: a page is 10 to 100 KB, and glibc serves such buffers from freshly mapped memory once
 * they are freed and trimmed: every 4 KB page of it faults on its first write, and is unmapped
 * again when the buffer is collected. That churn shows on the transform's hot path (raising
 * glibc's mmap and trim thresholds removes it too, and leaves parsing alone unchanged). Reused
 * buffers stay mapped and warm.
 *
 * Both are for synchronous use only: the encoder fills and consumes them within one call of
 * encodeParquetFile, which copies the finished file out.
 */
import { maxCompressedLength, snappyCompressInto } from './snappy';

/** Scratch bytes for a value that lives until the next `take`: a page body, before it is compressed. */
export class ScratchBuffer {
  private buffer: Buffer;

  constructor(initialSize: number) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  /** `size` bytes of unspecified content; the view is valid until the next call. */
  public take(size: number): Buffer {
    if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
    return this.buffer.subarray(0, size);
  }
}

/**
 * The compressed pages of the file being encoded, one after the other in one buffer. When the
 * buffer is full a larger one replaces it; pages compressed before stay valid, in the old one.
 */
export class CompressedPages {
  private buffer: Buffer;
  private offset = 0;

  constructor(initialSize: number) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  /** Snappy-compresses `body`; the view returned is valid until `startFile`. */
  public compress(body: Uint8Array): Buffer {
    const needed = maxCompressedLength(body.length);
    if (this.buffer.length - this.offset < needed) {
      this.buffer = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.offset = 0;
    }
    const start = this.offset;
    this.offset = snappyCompressInto(body, this.buffer, start);
    return this.buffer.subarray(start, this.offset);
  }

  /** Starts over for the next file: the views returned so far are no longer valid. */
  public startFile(): void {
    this.offset = 0;
  }
}

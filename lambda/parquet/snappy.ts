/**
 * Snappy compression (raw format, as Parquet pages use it), written for speed in V8.
 *
 * Why our own: compressing pages is the largest single cost of encoding. snappyjs is a faithful
 * port of the reference compressor, but it hashes with a floating-point multiply, compares,
 * extends and copies byte by byte, and its result is copied once more. This is the same
 * algorithm as the reference implementation (google/snappy, CompressFragment): 64 KiB blocks, a
 * hash table of 4-byte sequences, literal runs and back-references, and the same "skip faster
 * through incompressible input" heuristic, so it compresses as well; it reads and compares 4 bytes
 * at a time through a DataView and emits short elements inline, which makes it faster than
 * snappyjs. The tests decode its output with snappyjs, DuckDB and hyparquet.
 */

const BLOCK_SIZE = 1 << 16;
const MAX_HASH_BITS = 14;
const MIN_HASH_BITS = 8;
/** The reference keeps this many bytes at a block's end out of match finding (they end as a literal). */
const INPUT_MARGIN = 15;

/** One table for every call: a block is compressed synchronously, start to end. */
const hashTable = new Uint16Array(1 << MAX_HASH_BITS);

/** The largest output `compress` may produce for `length` input bytes (snappy's bound). */
export function maxCompressedLength(length: number): number {
  return 32 + length + Math.floor(length / 6);
}

/** Snappy-compresses `input` (raw format: a varint length, then blocks of tagged elements) into a new buffer. */
export function snappyCompress(input: Uint8Array): Buffer {
  const output = Buffer.allocUnsafe(maxCompressedLength(input.length));
  return output.subarray(0, snappyCompressInto(input, output, 0));
}

/**
 * Snappy-compresses `input` into `output` from `offset`, where at least
 * maxCompressedLength(input.length) bytes must be free; returns the offset after the compressed
 * bytes. Bytes of `output` past that offset may be overwritten. For callers that reuse one
 * output buffer rather than allocate one per call (see parquet-file.ts).
 */
export function snappyCompressInto(input: Uint8Array, output: Buffer, offset: number): number {
  if (output.length - offset < maxCompressedLength(input.length)) throw new RangeError('snappy output buffer too small');
  let op = offset;
  for (let length = input.length; ; length >>>= 7) {
    if (length < 0x80) { output[op++] = length; break; }
    output[op++] = (length & 0x7f) | 0x80;
  }
  // Unaligned 4-byte loads and stores are single operations through a DataView.
  const inputView = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const outputView = new DataView(output.buffer, output.byteOffset, output.byteLength);
  for (let position = 0; position < input.length; position += BLOCK_SIZE) {
    op = compressBlock(input, inputView, position, Math.min(BLOCK_SIZE, input.length - position), output, outputView, op);
  }
  return op;
}

function compressBlock(input: Uint8Array, view: DataView, start: number, size: number, output: Uint8Array, outputView: DataView, op: number): number {
  let hashBits = MIN_HASH_BITS;
  while (hashBits < MAX_HASH_BITS && 1 << hashBits < size) hashBits++;
  const shift = 32 - hashBits;
  const table = hashTable;
  table.fill(0, 0, 1 << hashBits);
  const end = start + size;
  let nextEmit = start;

  if (size >= INPUT_MARGIN) {
    const ipLimit = end - INPUT_MARGIN;
    let ip = start + 1;
    let nextBytes = view.getInt32(ip, true);
    outer: for (;;) {
      // Find a 4-byte match, stepping further apart the longer none is found (1 byte at a time
      // for the first 32 tries, then 2, ...): incompressible input is skipped quickly.
      // Positions stay far below 2^31; `| 0` lets V8 add them without an overflow check in this,
      // the hottest loop.
      let skip = 32;
      let nextIp = ip;
      let candidate: number;
      let bytes: number;
      do {
        ip = nextIp;
        bytes = nextBytes;
        nextIp = (ip + (skip++ >>> 5)) | 0;
        if (nextIp > ipLimit) break outer;
        nextBytes = view.getInt32(nextIp, true);
        const hash = Math.imul(bytes, 0x1e35a7bd) >>> shift;
        candidate = (start + table[hash]) | 0;
        table[hash] = ip - start;
      } while (bytes !== view.getInt32(candidate, true));

      // Literals and copies are mostly short: those are emitted inline.
      const literal = ip - nextEmit;
      if (literal <= 16 && op + 20 <= output.length && nextEmit + 16 <= end) {
        output[op++] = (literal - 1) << 2;
        for (let i = 0; i < literal; i += 4) outputView.setInt32(op + i, view.getInt32(nextEmit + i));
        op += literal;
      } else {
        op = emitLiteral(input, view, nextEmit, literal, output, outputView, op);
      }

      // Emit back-references for as long as the byte after each one starts another match.
      do {
        const matchStart = ip;
        let matched = 4;
        // Extend 4 bytes at a time: the lowest differing byte of the XOR ends the match.
        for (;;) {
          if (ip + matched + 4 > end) {
            while (ip + matched < end && input[ip + matched] === input[candidate + matched]) matched++;
            break;
          }
          const difference = view.getInt32(ip + matched, true) ^ view.getInt32(candidate + matched, true);
          if (difference !== 0) {
            matched += (31 - Math.clz32(difference & -difference)) >>> 3;
            break;
          }
          matched += 4;
        }
        ip += matched;
        const offset = matchStart - candidate;
        if (matched < 12 && offset < 2048) {
          output[op++] = 1 | ((matched - 4) << 2) | ((offset >>> 8) << 5);
          output[op++] = offset & 0xff;
        } else {
          op = emitCopy(output, op, offset, matched);
        }
        nextEmit = ip;
        if (ip >= ipLimit) break outer;
        table[Math.imul(view.getInt32(ip - 1, true), 0x1e35a7bd) >>> shift] = ip - 1 - start;
        bytes = view.getInt32(ip, true);
        const hash = Math.imul(bytes, 0x1e35a7bd) >>> shift;
        candidate = (start + table[hash]) | 0;
        table[hash] = ip - start;
      } while (bytes === view.getInt32(candidate, true));

      ip++;
      nextBytes = view.getInt32(ip, true);
    }
  }
  if (nextEmit < end) op = emitLiteral(input, view, nextEmit, end - nextEmit, output, outputView, op);
  return op;
}

function emitLiteral(input: Uint8Array, inputView: DataView, from: number, length: number, output: Uint8Array, outputView: DataView, op: number): number {
  const n = length - 1;
  if (n < 60) {
    output[op++] = n << 2;
  } else if (n < 0x100) {
    output[op++] = 60 << 2;
    output[op++] = n;
  } else {
    output[op++] = 61 << 2;
    output[op++] = n & 0xff;
    output[op++] = n >>> 8;
  }
  if (length <= 16 && from + 16 <= input.length && op + 16 <= output.length) {
    // Short literals (the common case): four 4-byte moves; bytes past the literal are scratch
    // that the next element overwrites (or that lies past the returned length).
    outputView.setInt32(op, inputView.getInt32(from));
    outputView.setInt32(op + 4, inputView.getInt32(from + 4));
    outputView.setInt32(op + 8, inputView.getInt32(from + 8));
    outputView.setInt32(op + 12, inputView.getInt32(from + 12));
  } else if (length < 32) {
    for (let i = 0; i < length; i++) output[op + i] = input[from + i];
  } else {
    output.set(input.subarray(from, from + length), op);
  }
  return op + length;
}

/** A back-reference of `length` bytes (>= 4) at `offset` (< 64 KiB) before the current position. */
function emitCopy(output: Uint8Array, op: number, offset: number, length: number): number {
  // Copies of up to 64 bytes each; keep the last one at least 4 bytes long.
  while (length >= 68) {
    op = emitCopyUpTo64(output, op, offset, 64);
    length -= 64;
  }
  if (length > 64) {
    op = emitCopyUpTo64(output, op, offset, 60);
    length -= 60;
  }
  return emitCopyUpTo64(output, op, offset, length);
}

function emitCopyUpTo64(output: Uint8Array, op: number, offset: number, length: number): number {
  if (length < 12 && offset < 2048) {
    // 1-byte-offset copy: 3 bits of length - 4, 11 bits of offset.
    output[op] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
    output[op + 1] = offset & 0xff;
    return op + 2;
  }
  // 2-byte-offset copy: 6 bits of length - 1, 16 bits of offset.
  output[op] = 2 | ((length - 1) << 2);
  output[op + 1] = offset & 0xff;
  output[op + 2] = offset >>> 8;
  return op + 3;
}

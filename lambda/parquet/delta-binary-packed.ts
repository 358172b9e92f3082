/**
 * DELTA_BINARY_PACKED, the Parquet encoding for INT32 and INT64 values (Encodings.md, encoding 5):
 * the first value, then the differences between consecutive values in blocks of 128. Each block
 * stores its smallest difference once, and each miniblock of 32 values stores every difference
 * minus that, bit-packed in as few bits as its largest one needs.
 *
 * Why: numbers of one column are close to each other far more often than they use their type's
 * full width. A price of decimal(18,6) is 8 bytes PLAIN and about 6 after snappy, which finds
 * little in the low bytes to match; its differences pack into about 4. Snappy then has little
 * left to do, and skips through packed bits several times faster than it searches PLAIN values.
 * Spark, DuckDB, Trino (Athena), Arrow and hyparquet all read it.
 *
 * Values are JavaScript numbers, so differences are exact only while values stay well inside
 * 2^53: `deltaEncodable` says when to use this encoding at all, and the encoder gives up on a
 * block whose differences need more than 32 bits (then PLAIN is smaller or about as small).
 */

const BLOCK_VALUES = 128;
const MINIBLOCKS_PER_BLOCK = 4;
const MINIBLOCK_VALUES = BLOCK_VALUES / MINIBLOCKS_PER_BLOCK;
/** Values at or beyond this magnitude are left PLAIN: their zigzag varints and differences would not be exact as doubles. */
const MAX_MAGNITUDE = 2 ** 52;
const TWO_TO_32 = 2 ** 32;

/**
 * One block's differences, then each minus the block's least (below 2^32, kept as int32 bits),
 * reused from call to call: encoding is synchronous.
 */
const blockDeltas = new Float64Array(BLOCK_VALUES);
const blockPacked = new Int32Array(BLOCK_VALUES);

/**
 * Whether values between `min` and `max` can be delta-encoded exactly for their physical type:
 * for INT32, every difference must itself be an INT32 (readers add them with 32-bit arithmetic);
 * for INT64, values and differences must be exact as doubles.
 */
export function deltaEncodable(min: number, max: number, physicalBits: 32 | 64): boolean {
  if (physicalBits === 32) return max - min < 2 ** 31;
  return min > -MAX_MAGNITUDE && max < MAX_MAGNITUDE && max - min < MAX_MAGNITUDE;
}

/** The most bytes `encodeDeltaBinaryPacked` writes for `count` values. */
export function maxDeltaBinaryPackedLength(count: number): number {
  const blocks = Math.ceil(Math.max(0, count - 1) / BLOCK_VALUES);
  // Header: four varints of at most 10 bytes. Block: a varint, the widths, miniblocks of 32-bit values.
  return 40 + blocks * (10 + MINIBLOCKS_PER_BLOCK + BLOCK_VALUES * 4);
}

/**
 * Writes the first `count` of `values` at `offset` of `out` (which must have
 * maxDeltaBinaryPackedLength(count) bytes free there); returns the offset after them, or
 * undefined when some miniblock would need more than 32 bits per value. The values must satisfy
 * `deltaEncodable`.
 */
export function encodeDeltaBinaryPacked(values: ArrayLike<number>, count: number, out: Uint8Array, offset: number): number | undefined {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let at = writeVarint(out, offset, BLOCK_VALUES);
  at = writeVarint(out, at, MINIBLOCKS_PER_BLOCK);
  at = writeVarint(out, at, count);
  at = writeZigZagVarint(out, at, count > 0 ? values[0] : 0);
  const deltas = blockDeltas;
  const packed = blockPacked;
  let previous = count > 0 ? values[0] : 0;
  for (let blockStart = 1; blockStart < count; blockStart += BLOCK_VALUES) {
    const blockCount = Math.min(BLOCK_VALUES, count - blockStart);
    let minDelta = Infinity;
    let maxDelta = -Infinity;
    for (let i = 0; i < blockCount; i++) {
      const value = values[blockStart + i];
      const delta = value - previous;
      previous = value;
      deltas[i] = delta;
      if (delta < minDelta) minDelta = delta;
      if (delta > maxDelta) maxDelta = delta;
    }
    if (maxDelta - minDelta >= TWO_TO_32) return undefined;
    at = writeZigZagVarint(out, at, minDelta);
    const widthsAt = at;
    at += MINIBLOCKS_PER_BLOCK;
    for (let miniblock = 0; miniblock < MINIBLOCKS_PER_BLOCK; miniblock++) {
      const start = miniblock * MINIBLOCK_VALUES;
      // Miniblocks past the last value have a width of 0 and no bytes (readers skip them).
      if (start >= blockCount) {
        out[widthsAt + miniblock] = 0;
        continue;
      }
      // Each difference less the least is below 2^32, so exact as the int32 bits that `|`, `<<`
      // and `>>>` work on; the last miniblock is padded with zeros. The highest bit set in any
      // value is the highest bit of their OR.
      const end = Math.min(blockCount, start + MINIBLOCK_VALUES);
      let bits = 0;
      for (let i = start; i < end; i++) bits |= packed[i] = deltas[i] - minDelta;
      if (end < start + MINIBLOCK_VALUES) packed.fill(0, end, start + MINIBLOCK_VALUES);
      const width = 32 - Math.clz32(bits);
      out[widthsAt + miniblock] = width;
      at = packMiniblock(packed, start, width, view, at);
    }
  }
  return at;
}

/**
 * Bit-packs the 32 values from `start` of `width` bits each, least significant bit first, as
 * 32-bit little-endian words: 32 values of `width` bits are exactly `width` words.
 */
function packMiniblock(packed: Int32Array, start: number, width: number, view: DataView, at: number): number {
  if (width === 0) return at;
  let word = 0;
  let used = 0;
  for (let i = start; i < start + MINIBLOCK_VALUES; i++) {
    const value = packed[i];
    word |= value << used;
    used += width;
    if (used >= 32) {
      view.setInt32(at, word, true);
      at += 4;
      used -= 32;
      // The value's bits that did not fit start the next word.
      word = used === 0 ? 0 : value >>> (width - used);
    }
  }
  return at;
}

/** ULEB128 of a non-negative integer below 2^53. */
function writeVarint(out: Uint8Array, at: number, value: number): number {
  // Integer operations while the value fits 31 bits (nearly always); `%` on a double is slow.
  while (value >= 0x80 && value < 0x80000000) {
    out[at++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  while (value >= 0x80) {
    out[at++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  out[at++] = value;
  return at;
}

/** Zigzag (0, -1, 1, -2, ... as 0, 1, 2, 3, ...) then ULEB128, for |value| < 2^52. */
function writeZigZagVarint(out: Uint8Array, at: number, value: number): number {
  return writeVarint(out, at, value >= 0 ? value * 2 : -value * 2 - 1);
}

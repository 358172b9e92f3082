/**
 * Our snappy compressor's output must decode, with an independent decoder (snappyjs), to exactly
 * the input: random bytes, repetitive ones, and page-like ones, across block boundaries (64 KiB).
 */
import fc from 'fast-check';
import { uncompress } from 'snappyjs';
import { CompressedPages } from '../../lambda/parquet/reused-buffers';
import { maxCompressedLength, snappyCompress } from '../../lambda/parquet/snappy';

const roundTrips = (input: Uint8Array) => {
  const compressed = snappyCompress(input);
  expect(compressed.length).toBeLessThanOrEqual(maxCompressedLength(input.length));
  expect(Buffer.from(uncompress(compressed)).equals(Buffer.from(input))).toBe(true);
  return compressed.length;
};

describe('snappy compression', () => {
  test('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => { roundTrips(bytes); }), { numRuns: 500 });
  });

  test('round-trips repetitive input of any length, and compresses it', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 200_000 }), (pattern, length) => {
      const input = new Uint8Array(length);
      for (let i = 0; i < length; i++) input[i] = pattern[(i * 7 + (i >> 9)) % pattern.length];
      const size = roundTrips(input);
      if (length > 1000 && pattern.length < 10) expect(size).toBeLessThan(length / 4);
    }), { numRuns: 60 });
  });

  test('round-trips page-like input: big-endian decimals, length-prefixed strings', () => {
    const decimals = Buffer.alloc(8 * 30_000);
    for (let i = 0; i < 30_000; i++) decimals.writeBigInt64BE(BigInt(50_000_000 + ((i * 7919) % 50_000) * 10_000), i * 8);
    expect(roundTrips(decimals)).toBeLessThan(decimals.length * 0.8);
    const strings = Buffer.concat(Array.from({ length: 20_000 }, (_, i) => {
      const text = Buffer.from(`T${i.toString(36)}`);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(text.length);
      return Buffer.concat([length, text]);
    }));
    roundTrips(strings);
    roundTrips(new Uint8Array(0));
  });

  test('pages compressed one after another into one reused buffer each decode to their input, across growth and files', () => {
    const pages = new CompressedPages(64);
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 5000 }), { minLength: 1, maxLength: 12 }), (bodies) => {
      pages.startFile();
      const views = bodies.map((body) => pages.compress(body));
      // Every page of the file is still intact after the later ones (and any growth of the buffer).
      views.forEach((view, index) => expect(Buffer.from(uncompress(view)).equals(Buffer.from(bodies[index]))).toBe(true));
      views.forEach((view, index) => expect(view.equals(snappyCompress(bodies[index]))).toBe(true));
    }), { numRuns: 200 });
  });
});

/**
 * String column values are encoded as they arrive, in dictionary or plain form; whichever form
 * they end in, they must decode to exactly the strings added (less any taken back). Their min and
 * max are the encoder's (parquet-file.test.ts).
 */
import fc from 'fast-check';
import { StringValues } from '../../lambda/parquet/string-values';

function decoded(values: StringValues): string[] {
  if (values.keepsDictionary()) return [...values.indices.subarray(0, values.count)].map((index) => values.entries[index]);
  const out: string[] = [];
  const bytes = Buffer.from(values.bytes.buffer, values.bytes.byteOffset, values.byteLength);
  for (let offset = 0; offset < bytes.length;) {
    const length = bytes.readUInt32LE(offset);
    out.push(bytes.toString('utf8', offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return out;
}

describe('string values', () => {
  test('decode to the strings added, in order, whichever form they take', () => {
    const text = fc.oneof(fc.constantFrom('a', 'b', 'AAPL', 'é', '日本', ''), fc.string({ maxLength: 6 }), fc.nat(3000).map(String));
    const op = fc.oneof({ weight: 8, arbitrary: text.map((value) => ({ add: value })) }, { weight: 1, arbitrary: fc.constant({ add: undefined }) });
    // The same values object is used twice, cleared in between, as a recycled column buffer is.
    const values = new StringValues();
    fc.assert(fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
      values.clear();
      const expected: string[] = [];
      let previous: 'add' | 'remove' | undefined;
      for (const { add } of ops) {
        // Only the last value added can be taken back (a rejected row), and only once.
        if (add === undefined) {
          if (previous !== 'add') continue;
          values.removeLast();
          expected.pop();
          previous = 'remove';
        } else {
          values.add(add);
          expected.push(add);
          previous = 'add';
        }
      }
      expect(decoded(values)).toEqual(expected);
    }), { numRuns: 300 });
  });

  test('a value taken back leaves the plain bytes as they were', () => {
    const text = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('', '\uD800', 'a\uDFFF', 'zz', 'é'));
    fc.assert(fc.property(fc.array(text, { minLength: 1, maxLength: 30 }), text, text, (kept, takenBack, next) => {
      const values = new StringValues();
      values.startPlain();
      const reference = new StringValues();
      reference.startPlain();
      for (const value of kept) { values.add(value); reference.add(value); }
      values.add(takenBack);
      values.removeLast();
      values.add(next);
      reference.add(next);
      expect(Buffer.from(values.bytes.subarray(0, values.byteLength))).toEqual(Buffer.from(reference.bytes.subarray(0, reference.byteLength)));
      expect(values.count).toBe(reference.count);
    }), { numRuns: 500 });
  });

  test('outgrowing the dictionary is told apart from a small column judged at encoding; startPlain skips the trial', () => {
    const outgrown = new StringValues();
    for (let i = 0; i < 2000; i++) outgrown.add(`T${i}`);
    expect(outgrown.outgrewDictionary).toBe(true);
    const small = new StringValues();
    for (const value of ['a', 'b', 'c']) small.add(value);
    expect(small.keepsDictionary()).toBe(false);
    expect(small.outgrewDictionary).toBe(false);
    small.clear();
    small.startPlain();
    for (const value of ['x', 'x', 'x']) small.add(value);
    expect(small.dictionary).toBeUndefined();
    expect(decoded(small)).toEqual(['x', 'x', 'x']);
    expect(() => small.startPlain()).toThrow('only for an empty column');
  });

  test('distinct values turn the dictionary off; repeated ones keep it', () => {
    const distinct = new StringValues();
    for (let i = 0; i < 5000; i++) distinct.add(`T${i}`);
    expect(distinct.dictionary).toBeUndefined();
    const repeated = new StringValues();
    for (let i = 0; i < 5000; i++) repeated.add(`T${i % 100}`);
    expect(repeated.keepsDictionary()).toBe(true);
    expect(repeated.entries).toHaveLength(100);
  });
});

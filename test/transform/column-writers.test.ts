/**
 * The transform's fast paths must agree with the converters they stand in for: the per-column
 * writers append exactly what the converter would return and reject exactly what it rejects,
 * whether they read the text or the number scanned from a CSV field, and parseDecimalFast returns
 * parseDecimal's value or declines (NaN).
 */
import fc from 'fast-check';
import { ColumnBuffer, type ColumnSpec, type ColumnValue } from '../../lambda/parquet/column-buffer';
import { ColumnWriter } from '../../lambda/transform/column-writers';
import { CsvTokenizer } from '../../lambda/transform/csv-tokenizer';
import type { ScannedNumbers } from '../../lambda/transform/scanned-numbers';
import { type Converter, Rejected, converterFor, parseDecimal, parseDecimalFast } from '../../lambda/transform/values';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import type { DatasetConfig } from '../../lib/config/lob-schema';

/** Strings made of the characters decimals are written with, plus a few that are not. */
const decimalText = fc.array(fc.constantFrom('0', '1', '5', '9', '.', '-', '+', 'e', ' '), { maxLength: 24 }).map((chars) => chars.join(''));

describe('parseDecimalFast', () => {
  test('returns what parseDecimal returns, or NaN', () => {
    fc.assert(fc.property(decimalText, fc.integer({ min: 1, max: 38 }), fc.nat(38), (text, precision, rawScale) => {
      const scale = rawScale % (precision + 1);
      const fast = parseDecimalFast(text, scale, 10 ** (precision - scale));
      if (Number.isNaN(fast)) return;
      expect(fast).toBe(parseDecimal(text, precision, scale));
    }), { numRuns: 20000 });
  });

  test('handles the plain forms', () => {
    expect(parseDecimalFast('185.64', 6, 1e12)).toBe(185640000);
    expect(parseDecimalFast('-0.000005', 6, 1e12)).toBe(-5);
    expect(parseDecimalFast('-0.0', 6, 1e12)).toBe(0);
    expect(parseDecimalFast('42', 6, 1e12)).toBe(42000000);
    expect(parseDecimalFast('.5', 6, 1e12)).toBe(500000);
    expect(parseDecimalFast('5.', 6, 1e12)).toBe(5000000);
    for (const declined of ['', '.', '-', '-.', '1.2345678', '1e5', '+1', '999999999999.999999', '1000000000000']) {
      expect(parseDecimalFast(declined, 6, 1e12)).toBeNaN();
    }
  });
});

describe('column writers agree with converters', () => {
  const specs: ColumnSpec[] = [
    { name: 'd', kind: 'decimal', nullable: true, precision: 9, scale: 2 },
    { name: 'n', kind: 'decimal', nullable: false, precision: 18, scale: 6 },
    { name: 'i', kind: 'int', nullable: true },
    { name: 'b', kind: 'bigint', nullable: true },
    { name: 'day', kind: 'date', nullable: false },
    { name: 's', kind: 'string', nullable: true },
  ];
  const raw = fc.oneof(
    decimalText,
    fc.constantFrom('', '2024-02-29', '2023-02-29', '1989-12-31', 'AAPL', 'MSFT', 'other', '-0', '2147483648', '9007199254740993'),
    fc.integer().map(String),
    fc.constantFrom(null, undefined, 12, 1.5, true),
  );
  /** CSV field texts: numbers in any form, and some that are not numbers; quoted when they must be. */
  const csvField = fc.oneof(
    decimalText,
    fc.constantFrom('', '-0', '0.000000', '2147483648', '-2147483649', '9007199254740993', '123456789012345', '1234567890123456', 'AAPL', '"12.5"', '"x,y"'),
    fc.integer().map(String),
    fc.double({ noNaN: true }).map(String),
    fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String),
    fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 16n }), fc.bigInt({ min: 0n, max: 10n ** 9n })).map(([whole, fraction]) => `${whole}.${fraction}`),
  );
  /**
   * One CSV record holding `text` as its first field, tokenized with that field scanned as a
   * number: the field as the tokenizer passes it (undefined when it read as a number), and the
   * value the field stands for (its text, unquoted), which the converter is given.
   */
  function scanned(text: string) {
    const tokenizer = new CsvTokenizer();
    const numbers = tokenizer.scanNumbers([true, false]);
    let field: string | undefined;
    tokenizer.push(`${text},end\n`, true, { record: (_line, fields) => { field = fields[0]; }, malformed: (_line, reason) => { throw new Error(reason); } });
    const value = text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text;
    return { field, value, numbers };
  }

  /**
   * The writer's outcome for `raw` must be the converter's for `value` (the same, but for a
   * scanned CSV field): the same reason, or the same value appended.
   */
  function expectWriterAgrees(spec: ColumnSpec, convert: Converter, writer: ColumnWriter, raw: unknown, numbers?: ScannedNumbers, value: unknown = raw): void {
    const buffer = new ColumnBuffer(spec, 2);
    const expected = convert(value);
    const reason = writer.write(raw, buffer, numbers, numbers ? 0 : undefined);
    if (expected instanceof Rejected) {
      expect(reason).toBe(expected.reason);
      expect(buffer.rowCount).toBe(0);
      return;
    }
    expect(reason).toBeUndefined();
    const reference = new ColumnBuffer(spec, 2);
    reference.push(expected as ColumnValue | null);
    expect(snapshot(buffer)).toEqual(snapshot(reference));
  }

  for (const spec of specs) {
    test(`${spec.kind} (${spec.nullable ? 'nullable' : 'not null'}), with bounds`, () => {
      const config: DatasetConfig = {
        name: 't', format: 'csv', partitionColumns: [],
        schema: [{ name: spec.name, nullable: spec.nullable, classification: 'public',
          type: spec.kind === 'decimal' ? `decimal(${spec.precision},${spec.scale})` : spec.kind,
          ...(spec.kind === 'string' ? { allowedValues: ['AAPL', 'MSFT', '5', '0'] } : {}),
          ...(spec.kind === 'date' ? { range: { min: '1990-01-01' } } : {}),
          ...(['decimal', 'int', 'bigint'].includes(spec.kind) ? { range: { min: -5, max: 1e6 } } : {}) }],
      } as unknown as DatasetConfig;
      const dataset = compileDataset(config);
      const convert = dataset.converters[0];
      const writer = dataset.writers[0];
      fc.assert(fc.property(raw, (value) => expectWriterAgrees(spec, convert, writer, value)), { numRuns: 5000 });
      // The same, for the text as a CSV field, with the number the tokenizer scanned from it.
      fc.assert(fc.property(csvField, (text) => {
        const { field, value, numbers } = scanned(text);
        expectWriterAgrees(spec, convert, writer, field, numbers, value);
      }), { numRuns: 5000 });
    });
  }

  test('an unbounded decimal writer agrees with its converter on scanned CSV fields', () => {
    for (const [precision, scale] of [[18, 6], [9, 2], [38, 10], [5, 0]]) {
      const spec: ColumnSpec = { name: 'x', kind: 'decimal', nullable: true, precision, scale };
      const convert = converterFor(spec, true);
      const writer = new ColumnWriter(spec, convert, { scale: 10 ** scale });
      fc.assert(fc.property(csvField, (text) => {
        const { field, value, numbers } = scanned(text);
        expectWriterAgrees(spec, convert, writer, field, numbers, value);
      }), { numRuns: 3000 });
    }
  });

  test('a writer built without bounds appends converted values', () => {
    const spec: ColumnSpec = { name: 'x', kind: 'decimal', nullable: true, precision: 18, scale: 6 };
    const writer = new ColumnWriter(spec, converterFor(spec, true), { scale: 1e6 });
    const buffer = new ColumnBuffer(spec, 2);
    for (const value of ['1.5', '', '-2', '123456789012.123456']) expect(writer.write(value, buffer)).toBeUndefined();
    expect(buffer.rowCount).toBe(4);
    expect(buffer.valueCount).toBe(3);
    expect(buffer.wide?.get(2)).toBe(123456789012123456n);
  });
});

function snapshot(buffer: ColumnBuffer) {
  return {
    rowCount: buffer.rowCount,
    valueCount: buffer.valueCount,
    defined: buffer.defined ? [...buffer.defined.subarray(0, buffer.rowCount)] : undefined,
    numeric: buffer.numeric ? [...buffer.numeric.subarray(0, buffer.valueCount)] : undefined,
    wide: buffer.wide ? [...buffer.wide] : undefined,
    strings: buffer.strings ? { entries: buffer.strings.entries, indices: [...buffer.strings.indices.subarray(0, buffer.strings.count)] } : undefined,
  };
}

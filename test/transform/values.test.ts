import fc from 'fast-check';
import { converterFor, parseDate, parseDecimal, parseInteger, parseTimestamp, Rejected } from '../../lambda/transform/values';

describe('exact value parsing', () => {
  test('dates: calendar-valid YYYY-MM-DD only', () => {
    expect(parseDate('1970-01-01')).toBe(0);
    expect(parseDate('2024-02-29')).toBe(19782);
    expect(parseDate('1969-12-31')).toBe(-1);
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-1-01', '24-01-01', '2024/01/01', '']) expect(parseDate(bad)).toBeUndefined();
  });

  test('dates agree with the JavaScript calendar on any day in 0001-9999', () => {
    fc.assert(fc.property(fc.integer({ min: -719162, max: 2932896 }), (day) => {
      const text = new Date(day * 86_400_000).toISOString().slice(0, 10);
      expect(parseDate(text)).toBe(day);
    }));
  });

  test('timestamps: ISO-8601 to UTC microseconds, offsets applied, sub-microsecond digits refused by truncation rule', () => {
    expect(parseTimestamp('1970-01-01T00:00:00Z')).toBe(0);
    expect(parseTimestamp('2024-01-02T10:02:31.250Z')).toBe(Date.UTC(2024, 0, 2, 10, 2, 31, 250) * 1000);
    expect(parseTimestamp('2024-01-02 11:47:09+09:00')).toBe(Date.UTC(2024, 0, 2, 2, 47, 9) * 1000);
    expect(parseTimestamp('2024-01-02T08:00:01.123456')).toBe(Date.UTC(2024, 0, 2, 8, 0, 1) * 1000 + 123456);
    for (const bad of ['yesterday', '2024-01-02', '2024-01-02T25:00:00Z', '2024-02-30T00:00:00Z']) expect(parseTimestamp(bad)).toBeUndefined();
  });

  test('decimals: unscaled integers, exact, without rounding', () => {
    expect(parseDecimal('185.64', 18, 6)).toBe(185640000);
    expect(parseDecimal('-0.000005', 18, 6)).toBe(-5);
    expect(parseDecimal('999999999999.999999', 18, 6)).toBe(999999999999999999n);
    expect(parseDecimal('1.2300', 5, 2)).toBe(123);
    expect(parseDecimal('1.234', 5, 2)).toBe('has more than 2 decimal places');
    expect(parseDecimal('1234', 5, 2)).toBe('has more than 3 digits before the decimal point');
    expect(parseDecimal('1e5', 5, 2)).toBe('not a decimal number');
  });

  test('decimals round-trip exactly for any value in range', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 18n) + 1n, max: 10n ** 18n - 1n }), (unscaled) => {
      const sign = unscaled < 0n ? '-' : '';
      const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(7, '0');
      const text = `${sign}${digits.slice(0, -6)}.${digits.slice(-6)}`;
      expect(BigInt(parseDecimal(text, 18, 6) as number | bigint)).toBe(unscaled);
    }));
  });

  test('integers: doubles while exact, bigints beyond, nothing outside int64', () => {
    expect(parseInteger('42')).toBe(42);
    expect(parseInteger('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(parseInteger('9223372036854775808')).toBeUndefined();
    expect(parseInteger('4.2')).toBeUndefined();
  });

  test('converters name the column and the problem; nulls follow nullability', () => {
    const close = converterFor({ name: 'close', kind: 'decimal', nullable: false, precision: 18, scale: 6 });
    expect(close('')).toEqual(new Rejected('missing value for non-null column close'));
    expect((close('n/a') as Rejected).reason).toBe('column close: expected a decimal(18,6): "n/a" not a decimal number');
    expect(close(1.5)).toBe(1500000);
    const note = converterFor({ name: 'note', kind: 'string', nullable: true }, true);
    expect(note('')).toBeNull();
    expect(converterFor({ name: 'note', kind: 'string', nullable: true }, false)('')).toBe('');
    expect(note(null)).toBeNull();
    expect((note(5) as Rejected).reason).toBe('column note: expected string, got number 5');
  });
});

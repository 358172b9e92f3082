/**
 * Which files' dates and timestamps are in Spark's legacy hybrid calendar: the rules of Spark's own
 * reader (DataSourceUtils.datetimeRebaseSpec and int96RebaseSpec), by the footer's keys. Files Spark
 * 3.5 writes in both modes are read through the handler in parquet-input.test.ts.
 */
import type { FileMetaData } from 'hyparquet';
import { GREGORIAN_SWITCH_DAYS, LEGACY_TIMESTAMP_LIMIT_MICROS, legacyCalendarOf, legacyDateRefusal, legacyTimestampRefusal } from '../../lambda/transform/spark-legacy-calendar';

const footer = (keys: Record<string, string>): FileMetaData => ({
  version: 1, schema: [], num_rows: 0n, row_groups: [], metadata_length: 0,
  key_value_metadata: Object.entries(keys).map(([key, value]) => ({ key, value })),
});
const legacy = (keys: Record<string, string>) => {
  const { dateTime, int96 } = legacyCalendarOf(footer(keys));
  return { dateTime: dateTime !== undefined, int96: int96 !== undefined };
};

describe('legacy calendar of a Parquet file', () => {
  test.each([
    ['no Spark version: another writer, read as Gregorian', {}, { dateTime: false, int96: false }],
    ['Spark 2.4: legacy for both, with no key to say so', { 'org.apache.spark.version': '2.4.8' }, { dateTime: true, int96: true }],
    ['Spark 3.0: Gregorian dates, INT96 still legacy', { 'org.apache.spark.version': '3.0.3' }, { dateTime: false, int96: true }],
    ['Spark 3.5 in its default mode', { 'org.apache.spark.version': '3.5.6' }, { dateTime: false, int96: false }],
    ['Spark 3.5 with datetimeRebaseModeInWrite=LEGACY', { 'org.apache.spark.version': '3.5.6', 'org.apache.spark.legacyDateTime': '' }, { dateTime: true, int96: false }],
    ['Spark 3.5 with int96RebaseModeInWrite=LEGACY', { 'org.apache.spark.version': '3.5.6', 'org.apache.spark.legacyINT96': '' }, { dateTime: false, int96: true }],
    ['a version with a suffix', { 'org.apache.spark.version': '3.1.0-amzn-0' }, { dateTime: false, int96: false }],
    ['the keys without a version are not Spark\'s rules', { 'org.apache.spark.legacyDateTime': '' }, { dateTime: false, int96: false }],
  ])('%s', (_name, keys, expected) => {
    expect(legacy(keys)).toEqual(expected);
  });

  test('the reason names the writer, the evidence and the setting that rewrites the file', () => {
    expect(legacyCalendarOf(footer({ 'org.apache.spark.version': '2.4.8' })).dateTime)
      .toBe('the file was written by Spark 2.4.8 in its legacy hybrid Julian calendar (org.apache.spark.version 2.4.8), in which it does not mean what it reads as; rewrite the file with spark.sql.parquet.datetimeRebaseModeInWrite=CORRECTED');
  });

  test('refused exactly before 1582-10-15 and 1900-01-01T00:00:00Z, and only in a legacy file', () => {
    const why = 'why';
    expect(GREGORIAN_SWITCH_DAYS).toBe(Date.UTC(1582, 9, 15) / 86_400_000);
    expect(LEGACY_TIMESTAMP_LIMIT_MICROS).toBe(Date.UTC(1900, 0, 1) * 1000);
    expect(legacyDateRefusal(GREGORIAN_SWITCH_DAYS, why)).toBeUndefined();
    expect(legacyDateRefusal(GREGORIAN_SWITCH_DAYS - 1, why)).toBe('a date before 1582-10-15: why');
    expect(legacyDateRefusal(GREGORIAN_SWITCH_DAYS - 1, undefined)).toBeUndefined();
    expect(legacyTimestampRefusal(LEGACY_TIMESTAMP_LIMIT_MICROS, why)).toBeUndefined();
    expect(legacyTimestampRefusal(LEGACY_TIMESTAMP_LIMIT_MICROS - 1, why)).toBe('a timestamp before 1900-01-01T00:00:00Z: why');
    expect(legacyTimestampRefusal(LEGACY_TIMESTAMP_LIMIT_MICROS - 1, undefined)).toBeUndefined();
  });
});

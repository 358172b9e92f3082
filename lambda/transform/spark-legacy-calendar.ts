/**
 * Dates and timestamps that Spark wrote in its legacy hybrid calendar.
 *
 * Spark before 3.0 (and Spark 3 with `spark.sql.parquet.datetimeRebaseModeInWrite` or
 * `int96RebaseModeInWrite` set to LEGACY) stores dates and timestamps in the hybrid Julian/Gregorian
 * calendar of java.util. Parquet, Athena (Trino), DuckDB and this transform read them in the
 * proleptic Gregorian calendar, so a day before the calendar switch of 1582-10-15 reads as another
 * day (1500-03-01 as 1500-03-11), and a timestamp before 1900 can shift with the time zone history
 * of the writer's zone. Spark rebases such files when it reads them; Athena does not.
 *
 * The footer says which files these are, by the rules Spark's own reader follows
 * (DataSourceUtils.datetimeRebaseSpec and int96RebaseSpec): a file with `org.apache.spark.version`
 * below 3.0.0 (3.1.0 for INT96), or with the `org.apache.spark.legacyDateTime` (`legacyINT96`) key.
 * Values of those files earlier than where Spark itself refuses to read without a rebase mode
 * (dates before 1582-10-15, timestamps before 1900-01-01T00:00:00Z) are not guessed at: they are
 * quarantined with the reason and the setting that rewrites the file correctly. Later values mean
 * the same in both calendars. Files from other writers carry no such key and are read as Gregorian,
 * as Athena reads them.
 */
import type { FileMetaData } from 'hyparquet';

/** 1582-10-15, the first day of the Gregorian calendar, as days since 1970-01-01. */
export const GREGORIAN_SWITCH_DAYS = -141_427;
/** 1900-01-01T00:00:00Z in microseconds: before it, Spark refuses timestamps of files without a rebase mode. */
export const LEGACY_TIMESTAMP_LIMIT_MICROS = -2_208_988_800_000_000;

/** For each kind of column, why its early values cannot be trusted; undefined when they can. */
export interface LegacyCalendar {
  /** DATE and INT64 TIMESTAMP columns. */
  readonly dateTime?: string;
  /** INT96 timestamps. */
  readonly int96?: string;
}

const VERSION_KEY = 'org.apache.spark.version';
const LEGACY_DATETIME_KEY = 'org.apache.spark.legacyDateTime';
const LEGACY_INT96_KEY = 'org.apache.spark.legacyINT96';

/** Compares dotted versions by number: `below('2.4.8', [3, 0, 0])`. */
function below(version: string, than: readonly number[]): boolean {
  const parts = version.split(/[.-]/).map((part) => Number.parseInt(part, 10));
  for (let index = 0; index < than.length; index++) {
    const part = Number.isNaN(parts[index]) || parts[index] === undefined ? 0 : parts[index];
    if (part !== than[index]) return part < than[index];
  }
  return false;
}

export function legacyCalendarOf(metadata: FileMetaData): LegacyCalendar {
  const keys = new Map((metadata.key_value_metadata ?? []).map(({ key, value }) => [key, value ?? '']));
  const version = keys.get(VERSION_KEY);
  if (version === undefined) return {};
  const why = (key: string, setting: string) => `the file was written by Spark ${version} in its legacy hybrid Julian calendar (${keys.has(key) ? key : `${VERSION_KEY} ${version}`}), `
    + `in which it does not mean what it reads as; rewrite the file with ${setting}=CORRECTED`;
  return {
    dateTime: below(version, [3, 0, 0]) || keys.has(LEGACY_DATETIME_KEY) ? why(LEGACY_DATETIME_KEY, 'spark.sql.parquet.datetimeRebaseModeInWrite') : undefined,
    int96: below(version, [3, 1, 0]) || keys.has(LEGACY_INT96_KEY) ? why(LEGACY_INT96_KEY, 'spark.sql.parquet.int96RebaseModeInWrite') : undefined,
  };
}

/** Why a day of a legacy file is refused, or undefined. */
export function legacyDateRefusal(days: number, legacy: string | undefined): string | undefined {
  return legacy !== undefined && days < GREGORIAN_SWITCH_DAYS ? `a date before 1582-10-15: ${legacy}` : undefined;
}

/** Why a timestamp of a legacy file is refused, or undefined. */
export function legacyTimestampRefusal(micros: number, legacy: string | undefined): string | undefined {
  return legacy !== undefined && micros < LEGACY_TIMESTAMP_LIMIT_MICROS ? `a timestamp before 1900-01-01T00:00:00Z: ${legacy}` : undefined;
}

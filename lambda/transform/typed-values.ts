/**
 * Raw values that arrive with a type of their own, from a typed source (Parquet), for the column
 * converters (values.ts) to check against the dataset's schema like any other raw value:
 *
 * - numbers a double would not hold exactly (DECIMAL, INT64 beyond 2^53) travel as their decimal
 *   text, so they are parsed exactly as a CSV field of the same digits is;
 * - dates and timestamps travel as the days or microseconds they are, so no text format
 *   (`format`, a CSV concept) applies to them, and a value of one type is never taken for the other.
 *
 * Each prints as its text (toString, toJSON): what a rejection reason and a quarantine record show.
 */

const DAY_MS = 86_400_000;

/** An exact number as decimal text (`-123.45`, `9007199254740993`), and the source type it had. */
export class ExactNumber {
  constructor(public readonly text: string, public readonly sourceType: string) {}
  public toString(): string { return this.text; }
  public toJSON(): string { return this.text; }
}

/**
 * A calendar date: days since 1970-01-01. `refusal` says why the value cannot be kept as read
 * (spark-legacy-calendar.ts), when it cannot.
 */
export class TypedDate {
  constructor(public readonly days: number, public readonly refusal?: string) {}
  public toString(): string { return new Date(this.days * DAY_MS).toISOString().slice(0, 10); }
  public toJSON(): string { return this.toString(); }
}

/**
 * A timestamp: microseconds since 1970-01-01 00:00, either an instant (UTC) or, when `local`, a
 * wall-clock time that names no zone (read in the dataset's timeZone, as a text timestamp without
 * an offset is). NaN when the source's value is outside what a double holds exactly as microseconds.
 * `excess` names precision the source had beyond microseconds (nanoseconds), which cannot be kept;
 * `refusal` says why the value cannot be kept as read, when it cannot.
 */
export class TypedTimestamp {
  constructor(public readonly micros: number, public readonly local: boolean, public readonly excess?: string, public readonly refusal?: string) {}
  public toString(): string {
    if (Number.isNaN(this.micros)) return 'a timestamp beyond the range of microseconds';
    const millis = Math.floor(this.micros / 1000);
    const fraction = String(this.micros - millis * 1000).padStart(3, '0');
    const iso = new Date(millis).toISOString();
    return `${iso.slice(0, 23)}${fraction}${this.excess ?? ''}${this.local ? '' : 'Z'}`;
  }
  public toJSON(): string { return this.toString(); }
}

/**
 * Text converters of date and timestamp columns with a `format` (docs/datasets.md, "CSV dialects
 * and formats"), or a dataset `timeZone`: compiled once per column, so reading a value costs no
 * regular expression or pattern work.
 */
import { compilePattern } from '../../contract/date-patterns';
import type { ZoneOffsets } from './time-zones';
import { Rejected, TIMESTAMP_RANGE_REASON, type TextConverter, civilDays, parseDate, parseTimestamp, timestampMicros } from './values';


const describe = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

/** An optional '-' and 1-16 digits: an epoch count exact in a double once scaled. */
function epochCount(text: string): number | undefined {
  const start = text.charCodeAt(0) === 45 ? 1 : 0;
  if (text.length === start || text.length - start > 16) return undefined;
  let value = 0;
  for (let index = start; index < text.length; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return start === 1 ? -value : value;
}

/** The converter of a date column's text in `format` (undefined or `iso`: YYYY-MM-DD). */
export function dateConverter(column: string, format: string | undefined): TextConverter {
  if (format === undefined || format === 'iso') {
    return (text) => parseDate(text) ?? new Rejected(`column ${column}: expected a date as YYYY-MM-DD, got ${describe(text)}`);
  }
  const parse = compilePattern(format, 'date');
  return (text) => {
    const fields = parse(text);
    const day = fields && civilDays(fields.year, fields.month, fields.day);
    return day ?? new Rejected(`column ${column}: expected a date in format ${JSON.stringify(format)}, got ${describe(text)}`);
  };
}

/**
 * The converter of a timestamp column's text in `format` (undefined or `iso`: ISO-8601); values
 * that name no offset are wall-clock times in `zone` (UTC when undefined).
 */
export function timestampConverter(column: string, format: string | undefined, zone: ZoneOffsets | undefined): TextConverter {
  const outOfRange = (text: string) => new Rejected(`column ${column}: ${describe(text)} ${TIMESTAMP_RANGE_REASON}`);
  switch (format) {
    case undefined:
    case 'iso':
      return (text) => {
        const value = parseTimestamp(text, zone);
        if (value === undefined) return new Rejected(`column ${column}: expected an ISO-8601 timestamp, got ${describe(text)}`);
        return Number.isNaN(value) ? outOfRange(text) : value;
      };
    case 'epoch_seconds':
    case 'epoch_millis': {
      const micros = format === 'epoch_seconds' ? 1_000_000 : 1000;
      return (text) => {
        const count = epochCount(text);
        if (count === undefined) return new Rejected(`column ${column}: expected whole ${format === 'epoch_seconds' ? 'seconds' : 'milliseconds'} since 1970 (format ${format}), got ${describe(text)}`);
        const value = count * micros;
        return Number.isSafeInteger(value) ? value : outOfRange(text);
      };
    }
    default: {
      const parse = compilePattern(format, 'timestamp');
      return (text) => {
        const fields = parse(text);
        const day = fields && civilDays(fields.year, fields.month, fields.day);
        if (!fields || day === undefined || fields.hour > 23 || fields.minute > 59 || fields.second > 59) {
          return new Rejected(`column ${column}: expected a timestamp in format ${JSON.stringify(format)}, got ${describe(text)}`);
        }
        const value = timestampMicros(day, fields.hour, fields.minute, fields.second, fields.micros, fields.offsetMinutes, zone);
        return Number.isNaN(value) ? outOfRange(text) : value;
      };
    }
  }
}

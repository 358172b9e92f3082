/**
 * The pattern language of date and timestamp columns' `format` (docs/datasets.md, "CSV dialects
 * and formats"), compiled once per column into a parser that reads a value without regular
 * expressions or allocation beyond its result.
 *
 * It lives in contract/ because synth validates every configured pattern with the same compiler
 * the transform runs, so a pattern that deploys is one the transform can read.
 *
 * Letters:   yyyy year (4 digits)   M / MM month (1-2 / 2 digits)   MMM Jan..Dec   MMMM January..December
 *            d / dd day             H / HH hour 0-23                 h / hh hour 1-12 (needs a)
 *            a AM/PM                m / mm minute                    s / ss second
 *            S.. fraction of a second, exactly as many digits as S's (1-6)
 *            X offset: Z, +HH, +HHMM or +HH:MM
 * Anything else that is not a letter is matched literally; text in single quotes is literal
 * ('T'); two single quotes are one quote. Other letters are refused, so a typo fails synth.
 */

/** What a value read by a pattern holds; absent time fields are zero. */
export interface DateTimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
  /** Minutes east of UTC when the value named an offset, else undefined (the dataset's time zone applies). */
  offsetMinutes: number | undefined;
}

/** `format` values that are not patterns. */
export const NAMED_FORMATS = ['iso', 'epoch_seconds', 'epoch_millis'] as const;
export type NamedFormat = (typeof NAMED_FORMATS)[number];

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

const enum Field { Year, Month, MonthShort, MonthLong, Day, Hour24, Hour12, AmPm, Minute, Second, Fraction, Offset, Literal }

interface Step {
  readonly field: Field;
  /** Digits: the fewest and most accepted. Fraction: exactly `max`. Literal: unused. */
  readonly min: number;
  readonly max: number;
  readonly text?: string;
}

export type PatternParser = (text: string) => DateTimeFields | undefined;

export class PatternError extends Error {}

const LETTER_STEPS: Record<string, (count: number) => Step | undefined> = {
  y: (n) => (n === 4 ? { field: Field.Year, min: 4, max: 4 } : undefined),
  M: (n) => (n <= 2 ? { field: Field.Month, min: n, max: 2 } : n === 3 ? { field: Field.MonthShort, min: 0, max: 0 } : n === 4 ? { field: Field.MonthLong, min: 0, max: 0 } : undefined),
  d: (n) => (n <= 2 ? { field: Field.Day, min: n, max: 2 } : undefined),
  H: (n) => (n <= 2 ? { field: Field.Hour24, min: n, max: 2 } : undefined),
  h: (n) => (n <= 2 ? { field: Field.Hour12, min: n, max: 2 } : undefined),
  a: (n) => (n === 1 ? { field: Field.AmPm, min: 0, max: 0 } : undefined),
  m: (n) => (n <= 2 ? { field: Field.Minute, min: n, max: 2 } : undefined),
  s: (n) => (n <= 2 ? { field: Field.Second, min: n, max: 2 } : undefined),
  S: (n) => (n <= 6 ? { field: Field.Fraction, min: n, max: n } : undefined),
  X: (n) => (n <= 3 ? { field: Field.Offset, min: 0, max: 0 } : undefined),
};

const LETTER_HELP = 'yyyy, M, MM, MMM, MMMM, d, dd, H, HH, h, hh, a, m, mm, s, ss, S to SSSSSS, X';

function tokenize(pattern: string): Step[] {
  const steps: Step[] = [];
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index];
    if (char === "'") {
      let literal = '';
      index++;
      if (pattern[index] === "'") { steps.push({ field: Field.Literal, min: 0, max: 0, text: "'" }); index++; continue; }
      while (index < pattern.length && !(pattern[index] === "'" && pattern[index + 1] !== "'")) {
        literal += pattern[index];
        index += pattern[index] === "'" ? 2 : 1;
      }
      if (index >= pattern.length) throw new PatternError(`unclosed quote in pattern ${JSON.stringify(pattern)}`);
      index++;
      steps.push({ field: Field.Literal, min: 0, max: 0, text: literal });
      continue;
    }
    if (/[A-Za-z]/.test(char)) {
      let count = 1;
      while (pattern[index + count] === char) count++;
      const step = LETTER_STEPS[char]?.(count);
      if (!step) throw new PatternError(`${JSON.stringify(char.repeat(count))} is not a pattern letter (use ${LETTER_HELP}; quote literal text as 'T')`);
      steps.push(step);
      index += count;
      continue;
    }
    steps.push({ field: Field.Literal, min: 0, max: 0, text: char });
    index++;
  }
  return steps;
}

/** Reads `min`..`max` digits at `index`; returns [value, next index] or undefined. */
function readDigits(text: string, index: number, min: number, max: number): [number, number] | undefined {
  let value = 0;
  let count = 0;
  while (count < max && index + count < text.length) {
    const digit = text.charCodeAt(index + count) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
    count++;
  }
  // Variable width (M, d, H, ...) takes at most 2 digits, so "1/12" and "12/1" both read.
  return count >= Math.max(min, 1) ? [value, index + count] : undefined;
}

function readName(text: string, index: number, long: boolean): [number, number] | undefined {
  for (let month = 0; month < 12; month++) {
    const name = long ? MONTHS[month] : MONTHS[month].slice(0, 3);
    if (text.length - index >= name.length && text.slice(index, index + name.length).toLowerCase() === name) return [month + 1, index + name.length];
  }
  return undefined;
}

/** Z, +HH, +HHMM or +HH:MM at `index`: [minutes east of UTC, next index]. */
function readOffset(text: string, index: number): [number, number] | undefined {
  const sign = text[index];
  if (sign === 'Z' || sign === 'z') return [0, index + 1];
  if (sign !== '+' && sign !== '-') return undefined;
  const hours = readDigits(text, index + 1, 2, 2);
  if (!hours) return undefined;
  let next = hours[1];
  let minutes = 0;
  if (text[next] === ':') next++;
  const tail = readDigits(text, next, 2, 2);
  if (tail) { minutes = tail[0]; next = tail[1]; } else if (text[next - 1] === ':') return undefined;
  if (hours[0] > 18 || minutes > 59) return undefined;
  return [(sign === '-' ? -1 : 1) * (hours[0] * 60 + minutes), next];
}

/**
 * Compiles `pattern` for a column of `kind`; throws PatternError saying what is wrong. A date
 * pattern needs a year, month and day and no time of day; a timestamp pattern needs a year,
 * month and day, and `h` needs `a`.
 */
export function compilePattern(pattern: string, kind: 'date' | 'timestamp'): PatternParser {
  if (pattern === '') throw new PatternError('empty pattern');
  const steps = tokenize(pattern);
  const has = (...fields: Field[]) => steps.some((step) => fields.includes(step.field));
  for (const [fields, name] of [[[Field.Year], 'year (yyyy)'], [[Field.Month, Field.MonthShort, Field.MonthLong], 'month (M, MM, MMM or MMMM)'], [[Field.Day], 'day (d or dd)']] as const) {
    if (!has(...fields)) throw new PatternError(`pattern ${JSON.stringify(pattern)} has no ${name}`);
  }
  const counts = new Map<Field, number>();
  for (const step of steps) if (step.field !== Field.Literal) counts.set(step.field, (counts.get(step.field) ?? 0) + 1);
  if ([...counts.values()].some((count) => count > 1)) throw new PatternError(`pattern ${JSON.stringify(pattern)} names a field twice`);
  if (kind === 'date' && has(Field.Hour24, Field.Hour12, Field.AmPm, Field.Minute, Field.Second, Field.Fraction, Field.Offset)) {
    throw new PatternError(`pattern ${JSON.stringify(pattern)} has a time of day, but the column is a date`);
  }
  if (has(Field.Hour12) !== has(Field.AmPm)) throw new PatternError(`pattern ${JSON.stringify(pattern)}: h/hh (1-12) and a (AM/PM) go together; use H/HH for 0-23`);
  if (has(Field.Hour24) && has(Field.Hour12)) throw new PatternError(`pattern ${JSON.stringify(pattern)} has both H and h`);

  return (text) => {
    const fields: DateTimeFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, micros: 0, offsetMinutes: undefined };
    let pm: boolean | undefined;
    let index = 0;
    for (const step of steps) {
      let read: [number, number] | undefined;
      switch (step.field) {
        case Field.Literal: {
          const literal = step.text!;
          if (text.startsWith(literal, index)) { index += literal.length; continue; }
          return undefined;
        }
        case Field.MonthShort: case Field.MonthLong:
          read = readName(text, index, step.field === Field.MonthLong);
          break;
        case Field.AmPm: {
          const marker = text.slice(index, index + 2).toUpperCase();
          if (marker !== 'AM' && marker !== 'PM') return undefined;
          pm = marker === 'PM';
          index += 2;
          continue;
        }
        case Field.Offset:
          read = readOffset(text, index);
          if (!read) return undefined;
          fields.offsetMinutes = read[0];
          index = read[1];
          continue;
        default:
          read = readDigits(text, index, step.min, step.max);
      }
      if (!read) return undefined;
      const [value, next] = read;
      index = next;
      switch (step.field) {
        case Field.Year: fields.year = value; break;
        case Field.Month: case Field.MonthShort: case Field.MonthLong: fields.month = value; break;
        case Field.Day: fields.day = value; break;
        case Field.Hour24: case Field.Hour12: fields.hour = value; break;
        case Field.Minute: fields.minute = value; break;
        case Field.Second: fields.second = value; break;
        case Field.Fraction: fields.micros = value * 10 ** (6 - step.max); break;
        default: break;
      }
    }
    if (index !== text.length) return undefined;
    if (pm !== undefined) {
      if (fields.hour < 1 || fields.hour > 12) return undefined;
      fields.hour = (fields.hour % 12) + (pm ? 12 : 0);
    }
    return fields;
  };
}

/** Undefined when `format` is valid for a column of `type`, else what is wrong with it. */
export function formatProblem(format: string, type: string): string | undefined {
  if (type !== 'date' && type !== 'timestamp') return `only valid for date and timestamp columns; this column is ${type}`;
  if (format === 'iso') return undefined;
  if (format === 'epoch_seconds' || format === 'epoch_millis') {
    return type === 'timestamp' ? undefined : `${format} is only valid for timestamp columns; this column is a date`;
  }
  try {
    compilePattern(format, type);
    return undefined;
  } catch (error) {
    if (error instanceof PatternError) return `${error.message}; expected iso, epoch_seconds, epoch_millis or a pattern such as yyyy-MM-dd HH:mm:ss`;
    throw error;
  }
}

/** Undefined when `zone` is an IANA time zone this runtime knows (as Lambda's Node.js does), else why not. */
export function timeZoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return `expected an IANA time zone such as UTC, Europe/London or America/New_York; got ${JSON.stringify(zone)}`;
  }
}

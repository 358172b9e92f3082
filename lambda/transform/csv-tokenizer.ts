/**
 * A streaming RFC 4180 CSV tokenizer: quoted fields with doubled quotes, commas and line breaks
 * inside quotes, LF or CRLF line ends, a UTF-8 byte order mark. Text arrives in chunks of any size;
 * a record split across chunks is completed by the next one.
 *
 * Each record reports the line it starts on, so a rejected record can be found in the source.
 * Malformed quoting rejects that record only and resumes at the next line.
 *
 * Fields of numeric columns can also be read as numbers in the same pass (scanNumbers): see
 * scanned-numbers.ts for why. A field read as a number is not cut out of the text as a string.
 *
 * Given a chunk's bytes as well as its text (asciiBytes), the tokenizer reads the characters that
 * delimit fields, and numbers, in the bytes, and cuts fields out of the text.
 */
import { isAscii } from 'node:buffer';
import { COMMA, CR, LF, QUOTE, unquotedFieldEnd, unquotedFieldEndInBytes } from './csv-delimiters';
import { ScannedNumbers } from './scanned-numbers';
import { MAX_NUMBER_DIGITS } from './values';

/**
 * Receives the records of a CSV text, in order. Arguments rather than a record object: this runs
 * once per row, and the transform's hot path then allocates nothing for a record but its fields.
 */
export interface CsvRecordHandler {
  /**
   * The line a record starts on, and its fields. A field is undefined only where it was read as
   * a number (scanNumbers); its text is then the ScannedNumbers' fieldText. Once scanNumbers is
   * called, `fields` is one array reused from record to record: valid only while this runs.
   */
  record(line: number, fields: Array<string | undefined>): void;
  /** A record that cannot be read: the line it starts on, why, and its text. */
  malformed(line: number, reason: string, text: string): void;
}

const MINUS = 45;
const POINT = 46;
const ZERO = 48;

/**
 * `chunk` when its bytes are `text`'s characters one for one, the form CsvTokenizer.push can read
 * them in; else undefined. That holds when every byte is ASCII and the decoder that made `text`
 * from `chunk` added nothing before it (a replacement character for bytes left incomplete by the
 * last chunk): then the lengths are equal too.
 */
export function asciiBytes(text: string, chunk: Uint8Array): Uint8Array | undefined {
  return text.length === chunk.length && isAscii(chunk) ? chunk : undefined;
}

export class CsvTokenizer {
  private pending = '';
  /** Line number of the first character of `pending`. */
  private line = 1;
  private first = true;
  /** 1 at the field positions read as numbers too (scanNumbers), for the records that follow. */
  private scanned: Uint8Array | undefined;
  private numbers: ScannedNumbers | undefined;
  /** The text records are being read from. */
  private text = '';
  /** The array every record's fields are read into, once scanNumbers is called (else a new one per record). */
  private reusedFields: Array<string | undefined> | undefined;
  /** Its bytes, one per character, when push was given them and records are read from the chunk itself. */
  private bytes: Uint8Array | undefined;

  /**
   * From the next record on, also reads the fields at the positions flagged here as numbers,
   * into the returned ScannedNumbers: it holds the current record's numbers while `record` runs.
   * Such a field, when it reads as a number, is passed as undefined rather than as a string: its
   * writer only needs the number, and cutting the text out cost the transform about 7 ms of its
   * 215 per 300k benchmark rows.
   *
   * From then on the records' fields are also read into one array, reused from record to record
   * (see CsvRecordHandler.record): the transform keeps no record's array, and a new one per record
   * cost about 3 ms per 300k rows in allocation and collection.
   */
  public scanNumbers(fields: readonly boolean[]): ScannedNumbers {
    this.scanned = Uint8Array.from(fields, (flag) => (flag ? 1 : 0));
    this.numbers = new ScannedNumbers(fields.length);
    this.numbers.text = this.text;
    this.reusedFields = [];
    return this.numbers;
  }

  /**
   * Feeds a chunk; passes every complete record to `handler`. `final` flushes the last one.
   *
   * `bytes`, when given, must be the chunk's bytes, one per character (asciiBytes): the ends of
   * its unquoted fields are then found, numbers read, and the character after each field looked
   * at in them rather than in the string. charCodeAt has V8 check what kind of string it reads on
   * every call (perf annotate shows the check in the loop); reading bytes does not. Per 300k
   * benchmark rows: numbers read about 17 ms faster, field ends found about 3 ms faster, and the
   * characters around fields about 4 ms faster for the transform, 9 ms for parse-only.
   */
  public push(chunk: string, final: boolean, handler: CsvRecordHandler, bytes?: Uint8Array): void {
    // The record carried over from the last chunk is read from the two joined, the chunk's own
    // records from the chunk itself. Joined strings are V8 ConsStrings, and charCodeAt on one
    // follows an indirection to its flattened text on every character (perf annotate shows the
    // loop): reading every record from `pending + chunk` made tokenizing 28% slower.
    const carried = this.pending.length;
    let joined = carried > 0;
    let text = joined ? this.pending + chunk : chunk;
    this.readFrom(text);
    this.bytes = joined ? undefined : bytes;
    let position = 0;
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) position = 1;
      this.first = false;
    }
    while (position < text.length) {
      if (joined && position >= carried) {
        joined = false;
        text = chunk;
        this.readFrom(text);
        this.bytes = bytes;
        position -= carried;
      }
      const start = position;
      const startLine = this.line;
      const result = this.record(text, position, final);
      if (result === undefined) break; // incomplete: wait for more text
      position = result.next;
      this.line += result.lines;
      if (result.error) {
        handler.malformed(startLine, result.error, text.slice(start, result.next).replace(/\r?\n$/, ''));
      } else if (!(result.fields.length === 1 && result.fields[0] === '' && !result.quoted)) {
        handler.record(startLine, result.fields);
      }
    }
    this.pending = text.slice(position);
    this.bytes = undefined;
  }

  /**
   * Keeps the text records are read from, for the scanned numbers' fieldText. Once per text, not
   * per record: storing a new string in a long-lived object costs a write barrier each time.
   */
  private readFrom(text: string): void {
    this.text = text;
    if (this.numbers !== undefined) this.numbers.text = text;
  }

  /**
   * Parses one record starting at `start`. Undefined when the text ends inside it and more may
   * come; otherwise the fields (or an error), the index after its line end, and the line breaks it spans.
   */
  private record(text: string, start: number, final: boolean):
    { fields: Array<string | undefined>; quoted: boolean; error?: string; next: number; lines: number } | undefined {
    // Fields are appended by index, not push(): V8 compiled each push here as a call to its
    // generic Array.prototype.push builtin (perf), and tokenizing alone took 12% longer.
    const fields: Array<string | undefined> = this.reusedFields ?? [];
    let count = 0;
    const length = text.length;
    let position = start;
    let lines = 0;
    let quoted = false;
    const scanned = this.scanned;
    const bytes = this.bytes;
    for (;;) {
      if (position < length && (bytes !== undefined ? bytes[position] : text.charCodeAt(position)) === QUOTE) {
        quoted = true;
        // A quoted field is not scanned: its writer reads the text.
        if (scanned !== undefined && scanned[count] === 1) this.numbers!.digits[count] = NaN;
        let value = '';
        let segment = position + 1;
        for (;;) {
          const close = text.indexOf('"', segment);
          if (close === -1) {
            if (!final) return undefined;
            lines += countLineBreaks(text, segment, length);
            return { fields: sized(fields, count), quoted, error: 'unterminated quoted field', next: length, lines };
          }
          lines += countLineBreaks(text, segment, close);
          if (close + 1 < length && text.charCodeAt(close + 1) === QUOTE) {
            value += text.slice(segment, close + 1);
            segment = close + 2;
            continue;
          }
          if (close + 1 >= length && !final) return undefined;
          value += text.slice(segment, close);
          position = close + 1;
          break;
        }
        fields[count++] = value;
      } else if (scanned !== undefined && scanned[count] === 1) {
        const field = count++;
        const end = bytes !== undefined ? this.scanNumberInBytes(bytes, position, field) : this.scanNumber(text, position, field);
        const digits = this.numbers!.digits[field];
        fields[field] = digits === digits ? undefined : text.slice(position, end);
        position = end;
      } else {
        const end = bytes !== undefined ? unquotedFieldEndInBytes(bytes, position) : unquotedFieldEnd(text, position);
        fields[count++] = text.slice(position, end);
        position = end;
      }
      if (position >= length) {
        if (!final) return undefined;
        return { fields: sized(fields, count), quoted, next: position, lines };
      }
      const code = bytes !== undefined ? bytes[position] : text.charCodeAt(position);
      if (code === COMMA) {
        position++;
        continue;
      }
      if (code === CR) {
        if (position + 1 >= length && !final) return undefined;
        if (text.charCodeAt(position + 1) === LF) position++;
        return { fields: sized(fields, count), quoted, next: position + 1, lines: lines + 1 };
      }
      if (code === LF) return { fields: sized(fields, count), quoted, next: position + 1, lines: lines + 1 };
      // A quoted field followed by something other than a delimiter: skip to the end of the line.
      const lineEnd = text.indexOf('\n', position);
      if (lineEnd === -1 && !final) return undefined;
      const next = lineEnd === -1 ? length : lineEnd + 1;
      return { fields: sized(fields, count), quoted, error: 'malformed quoted field (text after the closing quote)', next, lines: lines + (lineEnd === -1 ? 0 : 1) };
    }
  }

  /*
   * Two copies of the number scan, one over a string and one over bytes: one function taking
   * either tests which it has on every character, and made tokenizing the benchmark's 300k rows
   * about 16 ms slower (82.6 against 98.8 ms, fastest of 60 runs).
   */

  /**
   * Finds the end of the unquoted field at `start`, as unquotedFieldEnd does, and records the
   * field's number while passing its characters: see ScannedNumbers for the form read.
   */
  private scanNumber(text: string, start: number, field: number): number {
    const length = text.length;
    let end = start;
    const negative = end < length && text.charCodeAt(end) === MINUS;
    if (negative) end++;
    let value = 0;
    let point = -1;
    let plain = true;
    while (end < length) {
      const code = text.charCodeAt(end);
      const digit = code - ZERO;
      if (digit >= 0 && digit <= 9) {
        value = value * 10 + digit;
      } else if (code === COMMA || code === LF || code === CR) {
        break;
      } else if (code === POINT && point === -1) {
        point = end;
      } else {
        plain = false;
      }
      end++;
    }
    this.recordScan(field, start, end, negative, point, plain, value);
    return end;
  }

  /** scanNumber over the text's bytes. */
  private scanNumberInBytes(bytes: Uint8Array, start: number, field: number): number {
    const length = bytes.length;
    let end = start;
    const negative = end < length && bytes[end] === MINUS;
    if (negative) end++;
    let value = 0;
    let point = -1;
    let plain = true;
    while (end < length) {
      const code = bytes[end];
      const digit = code - ZERO;
      if (digit >= 0 && digit <= 9) {
        value = value * 10 + digit;
      } else if (code === COMMA || code === LF || code === CR) {
        break;
      } else if (code === POINT && point === -1) {
        point = end;
      } else {
        plain = false;
      }
      end++;
    }
    this.recordScan(field, start, end, negative, point, plain, value);
    return end;
  }

  /** Records what a scan of the field from `start` to `end` found (`point`: where its '.' is, or -1). */
  private recordScan(field: number, start: number, end: number, negative: boolean, point: number, plain: boolean, value: number): void {
    const digitCount = end - start - (negative ? 1 : 0) - (point === -1 ? 0 : 1);
    const numbers = this.numbers!;
    numbers.starts[field] = start;
    numbers.digits[field] = plain && digitCount > 0 && digitCount <= MAX_NUMBER_DIGITS ? (negative && value !== 0 ? -value : value) : NaN;
    numbers.fractionDigits[field] = point === -1 ? -1 : end - point - 1;
  }
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let index = text.indexOf('\n', from); index !== -1 && index < to; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** `fields` holding its first `count` values only: a reused array may hold a longer record's. */
function sized(fields: Array<string | undefined>, count: number): Array<string | undefined> {
  if (fields.length !== count) fields.length = count;
  return fields;
}

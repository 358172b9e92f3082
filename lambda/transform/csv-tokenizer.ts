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
  private readonly delimiter: number;
  private readonly quote: number;
  private readonly quoteText: string;
  /** The character escaping a quote inside quotes: the quote (doubled, RFC 4180) or a backslash. */
  private readonly escape: number;

  /** `characters`: the dataset's dialect (csv-dialect.ts); RFC 4180's comma and double quote by default. */
  constructor(characters?: { readonly delimiter: number; readonly quote: number; readonly escape: number }) {
    this.delimiter = characters?.delimiter ?? COMMA;
    this.quote = characters?.quote ?? QUOTE;
    this.escape = characters?.escape ?? this.quote;
    this.quoteText = String.fromCharCode(this.quote);
  }

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
   * writer only needs the number, and cutting the text out would be work done on every numeric
   * field for nothing.
   *
   * From then on the records' fields are also read into one array, reused from record to record
   * (see CsvRecordHandler.record): the transform keeps no record's array, so a new one per record
   * would only add allocation and garbage collection.
   */
  public scanNumbers(fields: readonly boolean[]): ScannedNumbers {
    this.scanned = Uint8Array.from(fields, (flag) => (flag ? 1 : 0));
    this.numbers = new ScannedNumbers(fields.length, this.delimiter);
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
   * every call (perf annotate shows the check in the loop); reading bytes does not, so numbers,
   * field ends and the characters around fields are all found faster in the bytes.
   */
  public push(chunk: string, final: boolean, handler: CsvRecordHandler, bytes?: Uint8Array): void {
    // The record carried over from the last chunk is read from the two joined, the chunk's own
    // records from the chunk itself. Joined strings are V8 ConsStrings, and charCodeAt on one
    // follows an indirection to its flattened text on every character (perf annotate shows the
    // loop), so reading every record from `pending + chunk` would pay for it on every character.
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
    // Fields are appended by index, not push(): V8 compiles each push here as a call to its
    // generic Array.prototype.push builtin (perf shows it), which is slower than an indexed store.
    const fields: Array<string | undefined> = this.reusedFields ?? [];
    let count = 0;
    const length = text.length;
    let position = start;
    let lines = 0;
    let quoted = false;
    const scanned = this.scanned;
    const bytes = this.bytes;
    const delimiter = this.delimiter;
    for (;;) {
      if (position < length && (bytes !== undefined ? bytes[position] : text.charCodeAt(position)) === this.quote) {
        quoted = true;
        // A quoted field is not scanned: its writer reads the text.
        if (scanned !== undefined && scanned[count] === 1) this.numbers!.digits[count] = NaN;
        let value = '';
        let segment = position + 1;
        if (this.escape !== this.quote) {
          const read = this.backslashQuoted(text, segment, final);
          if (read === undefined) return undefined;
          lines += read.lines;
          if (read.end === -1) return { fields: sized(fields, count), quoted, error: 'unterminated quoted field', next: length, lines };
          fields[count++] = read.value;
          position = read.end;
        } else for (;;) {
          const close = text.indexOf(this.quoteText, segment);
          if (close === -1) {
            if (!final) return undefined;
            lines += countLineBreaks(text, segment, length);
            return { fields: sized(fields, count), quoted, error: 'unterminated quoted field', next: length, lines };
          }
          lines += countLineBreaks(text, segment, close);
          if (close + 1 < length && text.charCodeAt(close + 1) === this.quote) {
            value += text.slice(segment, close + 1);
            segment = close + 2;
            continue;
          }
          if (close + 1 >= length && !final) return undefined;
          value += text.slice(segment, close);
          position = close + 1;
          fields[count++] = value;
          break;
        }
      } else if (scanned !== undefined && scanned[count] === 1) {
        const field = count++;
        const end = bytes !== undefined ? this.scanNumberInBytes(bytes, position, field) : this.scanNumber(text, position, field);
        const digits = this.numbers!.digits[field];
        fields[field] = digits === digits ? undefined : text.slice(position, end);
        position = end;
      } else {
        const end = bytes !== undefined ? unquotedFieldEndInBytes(bytes, position, delimiter) : unquotedFieldEnd(text, position, delimiter);
        fields[count++] = text.slice(position, end);
        position = end;
      }
      if (position >= length) {
        if (!final) return undefined;
        return { fields: sized(fields, count), quoted, next: position, lines };
      }
      const code = bytes !== undefined ? bytes[position] : text.charCodeAt(position);
      if (code === delimiter) {
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

  /**
   * Reads a quoted field whose quotes are escaped with a backslash (`\"`, and `\\` for a
   * backslash), from `start` just after its opening quote: its value, the index after its closing
   * quote (-1 when the text ends first and `final`), and the line breaks inside. Undefined when
   * the text ends inside it and more may come. Rarer dialect, so a plain loop.
   */
  private backslashQuoted(text: string, start: number, final: boolean): { value: string; end: number; lines: number } | undefined {
    let value = '';
    let lines = 0;
    let segment = start;
    for (let index = start; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === LF) lines++;
      if (code === this.escape) {
        if (index + 1 >= text.length) break;
        value += text.slice(segment, index) + text[index + 1];
        index++;
        segment = index + 1;
        continue;
      }
      if (code === this.quote) {
        if (index + 1 >= text.length && !final) return undefined;
        return { value: value + text.slice(segment, index), end: index + 1, lines };
      }
    }
    return final ? { value, end: -1, lines } : undefined;
  }

  /*
   * Two copies of the number scan, one over a string and one over bytes: one function taking
   * either would test which it has on every character, and such a generic function was
   * measurably slower in the benchmark.
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
    const delimiter = this.delimiter;
    while (end < length) {
      const code = text.charCodeAt(end);
      const digit = code - ZERO;
      if (digit >= 0 && digit <= 9) {
        value = value * 10 + digit;
      } else if (code === delimiter || code === LF || code === CR) {
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
    const delimiter = this.delimiter;
    while (end < length) {
      const code = bytes[end];
      const digit = code - ZERO;
      if (digit >= 0 && digit <= 9) {
        value = value * 10 + digit;
      } else if (code === delimiter || code === LF || code === CR) {
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

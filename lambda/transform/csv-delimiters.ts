/**
 * The characters that end an unquoted CSV field (the delimiter is a dataset's, comma by default), shared by the tokenizer and by ScannedNumbers,
 * which finds the end of a field the tokenizer read as a number again when its text is needed.
 * The tokenizer looks for them in a chunk's bytes when it has them (see CsvTokenizer.push), else
 * in its text.
 */
export const QUOTE = 34;
export const COMMA = 44;
export const LF = 10;
export const CR = 13;

/** The index after the unquoted field starting at `start`: its delimiter's, or the text's end. */
export function unquotedFieldEnd(text: string, start: number, delimiter = COMMA): number {
  let end = start;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code === delimiter || code === LF || code === CR) break;
    end++;
  }
  return end;
}

/** unquotedFieldEnd for the same text as bytes, one per character. */
export function unquotedFieldEndInBytes(bytes: Uint8Array, start: number, delimiter = COMMA): number {
  let end = start;
  while (end < bytes.length) {
    const code = bytes[end];
    if (code === delimiter || code === LF || code === CR) break;
    end++;
  }
  return end;
}

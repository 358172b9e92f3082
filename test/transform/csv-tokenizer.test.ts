import { StringDecoder } from 'node:string_decoder';
import fc from 'fast-check';
import { type CsvRecordHandler, CsvTokenizer, asciiBytes } from '../../lambda/transform/csv-tokenizer';

type Tokenized = { line: number; fields: Array<string | undefined>; error?: undefined } | { line: number; error: string; text: string; fields?: undefined };

/**
 * Feeds `text` to the tokenizer in chunks of `chunkSize`: characters of the text, or with
 * `viaBytes` bytes of its UTF-8, decoded as the CSV reader decodes them and passed with their
 * bytes where those are the characters (asciiBytes), so that both ways of reading are taken.
 */
function feed(tokenizer: CsvTokenizer, text: string, chunkSize: number, viaBytes: boolean, handler: CsvRecordHandler): void {
  if (viaBytes) {
    const bytes = Buffer.from(text, 'utf8');
    const decoder = new StringDecoder('utf8');
    for (let offset = 0; offset < bytes.length; offset += chunkSize) {
      const chunk = bytes.subarray(offset, offset + chunkSize);
      const decoded = decoder.write(chunk);
      tokenizer.push(decoded, false, handler, asciiBytes(decoded, chunk));
    }
    tokenizer.push(decoder.end(), true, handler);
    return;
  }
  for (let offset = 0; offset < text.length; offset += chunkSize) tokenizer.push(text.slice(offset, offset + chunkSize), false, handler);
  tokenizer.push('', true, handler);
}

function tokenize(text: string, chunkSize = text.length || 1, viaBytes = false): Tokenized[] {
  const records: Tokenized[] = [];
  feed(new CsvTokenizer(), text, chunkSize, viaBytes, {
    record: (line, fields) => { records.push({ line, fields }); },
    malformed: (line, error, malformedText) => { records.push({ line, error, text: malformedText }); },
  });
  return records;
}

const quote = (field: string) => (/[",\r\n]/.test(field) || field === '' ? `"${field.replace(/"/g, '""')}"` : field);

describe('CSV tokenizer', () => {
  test('header, quoting, CRLF, BOM and line numbers', () => {
    const records = tokenize('\uFEFFa,b\r\n"x,1","he said ""hi"""\r\n"multi\nline",2\n\n3,4');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x,1', 'he said "hi"'] },
      { line: 3, fields: ['multi\nline', '2'] },
      { line: 6, fields: ['3', '4'] },
    ]);
  });

  test('a malformed quote rejects its record only', () => {
    for (const viaBytes of [false, true]) {
      expect(tokenize('1,"a"b,2\n3,4\n5,"open\n', 5, viaBytes)).toEqual([
        { line: 1, error: 'malformed quoted field (text after the closing quote)', text: '1,"a"b,2' },
        { line: 2, fields: ['3', '4'] },
        { line: 3, error: 'unterminated quoted field', text: '5,"open' },
      ]);
    }
  });

  test('any table, written as CSV and cut into any chunks of characters or of bytes, reads back field for field', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é', '😀'), maxLength: 6 });
    fc.assert(fc.property(
      fc.array(fc.array(field, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 20 }),
      fc.integer({ min: 1, max: 17 }), fc.boolean(), fc.boolean(),
      (rows, chunkSize, crlf, viaBytes) => {
        const text = rows.map((row) => row.map(quote).join(',')).join(crlf ? '\r\n' : '\n');
        expect(tokenize(text, chunkSize, viaBytes).map((r) => r.fields)).toEqual(rows);
      },
    ), { numRuns: 500 });
  });

  test('a chunk\'s bytes are read only when they are its characters one for one', () => {
    const decoder = new StringDecoder('utf8');
    const ascii = Buffer.from('a,1\n');
    expect(asciiBytes(decoder.write(ascii), ascii)).toBe(ascii);
    const accented = Buffer.from('é,1\n');
    expect(asciiBytes(decoder.write(accented), accented)).toBeUndefined();
    // The last two bytes of a euro sign (E2 82 AC) complete the one the last chunk began: the
    // decoded text is as long as this chunk, but its first character is not its first byte.
    expect(decoder.write(Buffer.from([0x61, 0xe2]))).toBe('a');
    const completing = Buffer.from([0x82, 0xac, 0x31, 0x0a]);
    const text = decoder.write(completing);
    expect(text).toBe('€1\n');
    expect(asciiBytes(text, completing)).toBeUndefined();
    // An incomplete character before an ASCII chunk: the decoder puts U+FFFD before its text.
    decoder.write(Buffer.from([0xe2]));
    const after = Buffer.from('2,3\n');
    const replaced = decoder.write(after);
    expect(replaced).toBe('\uFFFD2,3\n');
    expect(asciiBytes(replaced, after)).toBeUndefined();
  });
});

describe('numbers scanned while tokenizing', () => {
  /** What a scanned field must hold, worked out from the text alone: see scanned-numbers.ts. */
  function expectedScan(field: string, quoted: boolean): { digits: number; fractionDigits: number } {
    const point = field.indexOf('.');
    const fractionDigits = point === -1 ? -1 : field.length - point - 1;
    const digitCount = field.replace(/[-.]/g, '').length;
    const plain = !quoted && /^-?[0-9]*\.?[0-9]*$/.test(field) && digitCount > 0 && digitCount <= 15;
    if (!plain) return { digits: NaN, fractionDigits: quoted ? expect.any(Number) : fractionDigits };
    const magnitude = Number(field.replace(/[-.]/g, ''));
    return { digits: field.startsWith('-') && magnitude !== 0 ? -magnitude : magnitude, fractionDigits };
  }

  test('scanned fields hold their digits and fraction digits, in any chunks of characters or bytes; other fields and quoted ones are not scanned', () => {
    const numberish = fc.array(fc.constantFrom('0', '1', '7', '9', '.', '-', '+', 'e', ' ', 'x'), { maxLength: 18 }).map((chars) => chars.join(''));
    const cell = fc.record({ text: fc.oneof(numberish, fc.integer().map(String), fc.double({ noNaN: true }).map(String)), quoted: fc.boolean() });
    fc.assert(fc.property(
      fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 1, max: 80 }), fc.boolean(), fc.boolean(),
      (rows, chunkSize, crlf, viaBytes) => {
        const write = ({ text, quoted }: { text: string; quoted: boolean }) => (quoted ? `"${text}"` : text);
        const text = ['a,b,c', ...rows.map((row) => row.map(write).join(','))].join(crlf ? '\r\n' : '\n');
        const tokenizer = new CsvTokenizer();
        const seen: Array<{ fields: Array<string | undefined>; texts: string[]; digits: number[]; fractionDigits: number[] }> = [];
        let numbers: ReturnType<CsvTokenizer['scanNumbers']> | undefined;
        const handler: CsvRecordHandler = {
          record: (_line, fields) => {
            if (!numbers) { numbers = tokenizer.scanNumbers([true, false, true]); return; }
            // Read while the record is handled: the text of a field read as a number is only there then.
            const texts = fields.map((field, position) => field ?? numbers!.fieldText(position));
            seen.push({ fields: [...fields], texts, digits: [...numbers.digits], fractionDigits: [...numbers.fractionDigits] });
          },
          malformed: () => { throw new Error('no record here is malformed'); },
        };
        feed(tokenizer, text, chunkSize, viaBytes, handler);
        // A record that is one empty unquoted field is a blank line, which the tokenizer skips.
        const expectedRows = rows.filter((row) => row.length > 1);
        expect(seen.map((record) => record.texts)).toEqual(expectedRows.map((row) => row.map((cell) => cell.text)));
        seen.forEach((record, index) => {
          for (const field of [0, 2]) {
            const expected = expectedScan(expectedRows[index][field].text, expectedRows[index][field].quoted);
            expect({ digits: record.digits[field], fractionDigits: record.fractionDigits[field] }).toEqual(expected);
            // Exactly the fields read as numbers come without their text.
            expect(record.fields[field] === undefined).toBe(!Number.isNaN(expected.digits));
          }
          expect(record.fields[1]).toBe(expectedRows[index][1].text);
          expect(record.digits[1]).toBeNaN(); // never scanned
        });
      },
    ), { numRuns: 1000 });
  });

  test('examples', () => {
    const tokenizer = new CsvTokenizer();
    const numbers = tokenizer.scanNumbers([true, true, true, true]);
    const scans: Array<[number, number]>[] = [];
    const fieldsSeen: unknown[][] = [];
    const textsSeen: unknown[][] = [];
    const handler: CsvRecordHandler = {
      record: (_line, fields) => {
        scans.push([0, 1, 2, 3].map((field) => [numbers.digits[field], numbers.fractionDigits[field]]));
        fieldsSeen.push([...fields]);
        textsSeen.push(numbers.withText(fields));
      },
      malformed: () => undefined,
    };
    tokenizer.push('-12.50,007,.5,-0\r\n1e5,+1,1234567890123456,\n', true, handler);
    expect(scans).toEqual([
      [[-1250, 2], [7, -1], [5, 1], [0, -1]],
      [[NaN, -1], [NaN, -1], [NaN, -1], [NaN, -1]],
    ]);
    expect(fieldsSeen).toEqual([[undefined, undefined, undefined, undefined], ['1e5', '+1', '1234567890123456', '']]);
    expect(textsSeen).toEqual([['-12.50', '007', '.5', '-0'], ['1e5', '+1', '1234567890123456', '']]);
  });

  test('once numbers are scanned, records of any width read into the one reused array', () => {
    const text = 'a,b,c\nx,1,y\n2\n\n"q",3\nz,4,w,extra\n';
    for (const viaBytes of [false, true]) {
      const tokenizer = new CsvTokenizer();
      let numbers: ReturnType<CsvTokenizer['scanNumbers']> | undefined;
      const arrays: unknown[] = [];
      const texts: unknown[][] = [];
      feed(tokenizer, text, 5, viaBytes, {
        record: (_line, fields) => {
          if (!numbers) { numbers = tokenizer.scanNumbers([false, true, false, false]); return; }
          arrays.push(fields);
          texts.push(numbers.withText(fields));
        },
        malformed: (_line, reason) => { throw new Error(reason); },
      });
      expect(texts).toEqual([['x', '1', 'y'], ['2'], ['q', '3'], ['z', '4', 'w', 'extra']]);
      expect(new Set(arrays).size).toBe(1);
    }
  });

  test('scanning begun at the header covers the records in the same chunk, their texts included', () => {
    const tokenizer = new CsvTokenizer();
    let numbers: ReturnType<CsvTokenizer['scanNumbers']> | undefined;
    const texts: unknown[][] = [];
    tokenizer.push('name,price\nwidget,12.5\ngadget,7\n', true, {
      record: (_line, fields) => {
        if (!numbers) numbers = tokenizer.scanNumbers([false, true]);
        else texts.push(numbers.withText(fields));
      },
      malformed: (_line, reason) => { throw new Error(reason); },
    });
    expect(texts).toEqual([['widget', '12.5'], ['gadget', '7']]);
  });
});

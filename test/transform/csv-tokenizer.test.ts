import fc from 'fast-check';
import { type CsvRecordHandler, CsvTokenizer } from '../../lambda/transform/csv-tokenizer';

type Tokenized = { line: number; fields: Array<string | undefined>; error?: undefined } | { line: number; error: string; text: string; fields?: undefined };

function tokenize(text: string, chunkSize = text.length || 1): Tokenized[] {
  const tokenizer = new CsvTokenizer();
  const records: Tokenized[] = [];
  const handler: CsvRecordHandler = {
    record: (line, fields) => { records.push({ line, fields }); },
    malformed: (line, error, malformedText) => { records.push({ line, error, text: malformedText }); },
  };
  for (let offset = 0; offset < text.length; offset += chunkSize) tokenizer.push(text.slice(offset, offset + chunkSize), false, handler);
  tokenizer.push('', true, handler);
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
    expect(tokenize('1,"a"b,2\n3,4\n5,"open\n')).toEqual([
      { line: 1, error: 'malformed quoted field (text after the closing quote)', text: '1,"a"b,2' },
      { line: 2, fields: ['3', '4'] },
      { line: 3, error: 'unterminated quoted field', text: '5,"open' },
    ]);
  });

  test('any table, written as CSV and cut into any chunks, reads back field for field', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r\n', ' ', 'é', '😀'), maxLength: 6 });
    fc.assert(fc.property(
      fc.array(fc.array(field, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 20 }),
      fc.integer({ min: 1, max: 17 }), fc.boolean(),
      (rows, chunkSize, crlf) => {
        const text = rows.map((row) => row.map(quote).join(',')).join(crlf ? '\r\n' : '\n');
        expect(tokenize(text, chunkSize).map((r) => r.fields)).toEqual(rows);
      },
    ));
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

  test('scanned fields hold their digits and fraction digits, in any chunks; other fields and quoted ones are not scanned', () => {
    const numberish = fc.array(fc.constantFrom('0', '1', '7', '9', '.', '-', '+', 'e', ' ', 'x'), { maxLength: 18 }).map((chars) => chars.join(''));
    const cell = fc.record({ text: fc.oneof(numberish, fc.integer().map(String), fc.double({ noNaN: true }).map(String)), quoted: fc.boolean() });
    fc.assert(fc.property(
      fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 1, max: 23 }), fc.boolean(),
      (rows, chunkSize, crlf) => {
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
            seen.push({ fields, texts, digits: [...numbers.digits], fractionDigits: [...numbers.fractionDigits] });
          },
          malformed: () => { throw new Error('no record here is malformed'); },
        };
        for (let offset = 0; offset < text.length; offset += chunkSize) tokenizer.push(text.slice(offset, offset + chunkSize), false, handler);
        tokenizer.push('', true, handler);
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
        fieldsSeen.push(fields);
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

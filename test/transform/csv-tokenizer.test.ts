import fc from 'fast-check';
import { type CsvRecordHandler, CsvTokenizer } from '../../lambda/transform/csv-tokenizer';

type Tokenized = { line: number; fields: string[]; error?: undefined } | { line: number; error: string; text: string; fields?: undefined };

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

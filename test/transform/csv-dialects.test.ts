/**
 * Onboarding real files by config: CSV dialects, column mapping, null and boolean spellings,
 * decimal rounding, date and timestamp formats, time zones and schema drift, through the real
 * transform, with the Parquet read back by DuckDB and hyparquet.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { compilePattern, formatProblem } from '../../contract/date-patterns';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import { roundHalfEven } from '../../lambda/transform/rounding';
import { ZoneOffsets } from '../../lambda/transform/time-zones';
import { transformObject } from '../../lambda/transform/transform-object';
import { converterFor, Rejected } from '../../lambda/transform/values';
import { datasetSchema } from '../../lib/config/lob-schema';
import { query } from '../helpers/duckdb';
import { readWithHyparquet } from '../helpers/hyparquet';
import { MemoryStore } from '../helpers/memory-store';


const ARRIVAL = { ingestedAt: new Date('2024-01-02T22:10:05Z'), clock: () => new Date('2024-01-02T22:10:09Z') };
const chunks = (text: string, size = 5) => {
  const buffer = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += size) parts.push(buffer.subarray(offset, offset + size));
  return Readable.from(parts);
};
const dataset = (config: Record<string, unknown>) => compileDataset(datasetSchema.parse({ name: 'flights', ingest: 'batch', format: 'csv', primaryKey: ['id'], ...config }));
const run = async (config: Record<string, unknown>, csv: string) => {
  const store = new MemoryStore();
  const result = await transformObject({ bucket: 'raw', key: 'landing/flights/a.csv', version: 'v1' }, chunks(csv), dataset(config), store, ARRIVAL);
  return { store, result };
};

describe('decimal rounding', () => {
  test('half-even on the text, exact', () => {
    expect(roundHalfEven('26.7999992371', 2)).toBe('26.80');
    expect(roundHalfEven('0.125', 2)).toBe('0.12');
    expect(roundHalfEven('0.135', 2)).toBe('0.14');
    expect(roundHalfEven('0.1250001', 2)).toBe('0.13');
    expect(roundHalfEven('-2.5', 0)).toBe('-2');
    expect(roundHalfEven('-0.001', 2)).toBe('0.00');
    expect(roundHalfEven('.097', 1)).toBe('0.1');
    expect(roundHalfEven('9.995', 2)).toBe('10.00');
    expect(roundHalfEven('1.5', 1)).toBeUndefined(); // nothing to round
    expect(roundHalfEven('1.2x3', 1)).toBeUndefined();
  });

  test('agrees with exact rational rounding (property)', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 4 }), (unscaled, places, scale) => {
      fc.pre(places > scale);
      const negative = unscaled < 0n;
      const digits = (negative ? -unscaled : unscaled).toString().padStart(places + 1, '0');
      const text = `${negative ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
      // Reference: round |unscaled| / 10^(places - scale) half to even with bigint division.
      const divisor = 10n ** BigInt(places - scale);
      const magnitude = negative ? -unscaled : unscaled;
      let quotient = magnitude / divisor;
      const twice = (magnitude % divisor) * 2n;
      if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) quotient += 1n;
      const result = roundHalfEven(text, scale)!;
      const expected = quotient.toString().padStart(scale + 1, '0');
      const expectedText = `${negative && quotient !== 0n ? '-' : ''}${scale === 0 ? expected : `${expected.slice(0, -scale)}.${expected.slice(-scale)}`}`;
      expect(result).toBe(expectedText);
    }));
  });

  test('reject keeps quarantining; round writes and counts; rounding past the precision is still refused', async () => {
    const schema = (rounding: string) => [
      { name: 'id', type: 'int', nullable: false },
      { name: 'price', type: 'decimal(4,2)', decimalRounding: rounding },
    ];
    const csv = 'id,price\n1,26.7999992371\n2,1.5\n3,99.996\n4,.097\n5,-.5\n';
    const rejected = await run({ schema: schema('reject') }, csv);
    expect(rejected.result).toMatchObject({ read: 5, written: 2, quarantined: 3, rounded: 0 });
    const rounded = await run({ schema: schema('round') }, csv);
    expect(rounded.result).toMatchObject({ read: 5, written: 4, quarantined: 1, rounded: 2 });
    expect(rounded.store.quarantineLines()[0].reason).toMatch(/99\.996.*once rounded half-even to 2 places \(100\.00\)/);
    const dir = rounded.store.toDirectory();
    const rows = await query(`SELECT id, price::VARCHAR AS price FROM read_parquet('${dir}/flights/**/*.parquet') ORDER BY id`);
    expect(rows).toEqual([{ id: 1, price: '26.80' }, { id: 2, price: '1.50' }, { id: 4, price: '0.10' }, { id: 5, price: '-0.50' }]);
    const manifest = JSON.parse([...rounded.store.files].find(([key]) => key.startsWith('manifests/'))![1].toString('utf8'));
    expect(manifest.records.rounded).toBe(2);
  });

  test('the rounding of a quarantined row is not counted', async () => {
    const { result } = await run({ schema: [{ name: 'id', type: 'int', nullable: false }, { name: 'price', type: 'decimal(4,2)', decimalRounding: 'round' }] },
      'id,price\nx,1.234\n1,1.235\n');
    expect(result).toMatchObject({ written: 1, quarantined: 1, rounded: 1 });
  });
});

describe('date and timestamp formats', () => {
  test('patterns read what they name and refuse the rest', () => {
    expect(compilePattern('MMM d yyyy', 'date')('Jan 5 2024')).toMatchObject({ year: 2024, month: 1, day: 5 });
    expect(compilePattern('MM/dd/yyyy', 'date')('1/05/2024')).toBeUndefined();
    expect(compilePattern("yyyy/MM/dd'T'hh:mm a", 'timestamp')('2024/03/01T12:05 AM')).toMatchObject({ hour: 0, minute: 5 });
    expect(compilePattern('yyyy-MM-dd HH:mm:ss.SSSX', 'timestamp')('2024-03-01 10:00:00.250+05:30')).toMatchObject({ micros: 250000, offsetMinutes: 330 });
    expect(formatProblem('yyyy-MM-dd HH', 'date')).toMatch(/time of day, but the column is a date/);
    expect(formatProblem('yyyy-QQ-dd', 'timestamp')).toMatch(/"QQ" is not a pattern letter/);
    expect(formatProblem('epoch_millis', 'date')).toMatch(/only valid for timestamp columns/);
    expect(formatProblem('iso', 'string')).toMatch(/only valid for date and timestamp columns/);
  });

  test('formatted dates round-trip (property)', () => {
    const parse = compilePattern('MMM d yyyy', 'date');
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    fc.assert(fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2200-12-31'), noInvalidDate: true }), (date) => {
      const text = `${months[date.getUTCMonth()]} ${date.getUTCDate()} ${date.getUTCFullYear()}`;
      expect(parse(text)).toMatchObject({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
    }));
  });

  test('a time zone for zone-less wall-clock times, across daylight saving', () => {
    const london = new ZoneOffsets('Europe/London');
    expect(london.toUtc(Date.UTC(2024, 0, 15, 12))).toBe(Date.UTC(2024, 0, 15, 12));
    expect(london.toUtc(Date.UTC(2024, 6, 15, 12))).toBe(Date.UTC(2024, 6, 15, 11));
    // 01:30 on 27 Oct 2024 happens twice in London: the earlier (BST) instant.
    expect(london.toUtc(Date.UTC(2024, 9, 27, 1, 30))).toBe(Date.UTC(2024, 9, 27, 0, 30));
    expect(new ZoneOffsets('America/New_York').toUtc(Date.UTC(2024, 6, 4, 9))).toBe(Date.UTC(2024, 6, 4, 13));
  });

  test('through the transform: patterns, epochs, zone; mismatches name the pattern; out-of-range timestamps say so', async () => {
    const { store, result } = await run({
      timeZone: 'America/New_York',
      schema: [
        { name: 'id', type: 'int', nullable: false },
        { name: 'flight_date', type: 'date', format: 'MMM d yyyy', source: 'Flight Date' },
        { name: 'departed', type: 'timestamp', format: 'yyyy/MM/dd HH:mm:ss' },
        { name: 'landed', type: 'timestamp', format: 'epoch_millis' },
        { name: 'booked', type: 'timestamp' },
      ],
    }, 'id,Flight Date,departed,landed,booked\n'
      + '1,"Jul 4 2024",2024/07/04 09:00:00,1720098000000,2024-07-04T08:00:00+02:00\n'
      + '2,2024-07-04,2024/07/04 09:00:00,1720098000000,2024-07-04T08:00:00\n'
      + '3,Jul 4 2024,2024/07/04 09:00:00,1720098000000,3000-01-01T00:00:00Z\n');
    expect(result).toMatchObject({ read: 3, written: 1, quarantined: 2 });
    const reasons = store.quarantineLines().map((line) => line.reason);
    expect(reasons[0]).toBe('column flight_date: expected a date in format "MMM d yyyy", got "2024-07-04"');
    expect(reasons[1]).toMatch(/column booked: "3000-01-01T00:00:00Z" is outside the years a timestamp can hold/);
    const dir = store.toDirectory();
    const rows = await query(`SET TimeZone = 'UTC'; SELECT flight_date::VARCHAR AS d, departed::VARCHAR AS dep, landed::VARCHAR AS land, booked::VARCHAR AS b FROM read_parquet('${dir}/flights/**/*.parquet')`);
    expect(rows).toEqual([{ d: '2024-07-04', dep: '2024-07-04 13:00:00+00', land: '2024-07-04 13:00:00+00', b: '2024-07-04 06:00:00+00' }]);
  });
});

describe('CSV dialects', () => {
  const schema = [
    { name: 'id', type: 'int', nullable: false },
    { name: 'cost_total', type: 'decimal(10,3)', source: 'Cost Total $' },
    { name: 'on_time', type: 'boolean' },
    { name: 'carrier', type: 'string' },
  ];

  test('semicolon, header text mapping, null tokens, boolean spellings, leading-point numbers', async () => {
    const { store, result } = await run({
      schema, csv: { delimiter: 'semicolon', nullValues: ['NA', 'n/a'], trueValues: ['Y'], falseValues: ['N'] },
    }, 'carrier;id;Cost Total $;on_time\n"A;B";1;.097;Y\nNA;2;-.5;n\nXY;3;n/a;NA\nZZ;4;1;maybe\n');
    expect(result).toMatchObject({ read: 4, written: 3, quarantined: 1 });
    expect(store.quarantineLines()[0].reason).toBe('column on_time: expected a boolean (y or n), got "maybe"');
    const dir = store.toDirectory();
    const rows = await query(`SELECT id, cost_total::VARCHAR AS cost, on_time, carrier FROM read_parquet('${dir}/flights/**/*.parquet') ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, cost: '0.097', on_time: true, carrier: 'A;B' },
      { id: 2, cost: '-0.500', on_time: false, carrier: null },
      { id: 3, cost: null, on_time: null, carrier: 'XY' },
    ]);
    const hyparquet = store.parquetFiles(dir).flatMap((file) => readWithHyparquet(file).rows);
    expect(hyparquet.map((row) => row.carrier)).toEqual(['A;B', null, 'XY']);
  });

  test('tab and pipe delimiters, backslash escapes, no header with positions', async () => {
    const tab = await run({ schema, csv: { delimiter: 'tab' } }, 'id\tCost Total $\ton_time\tcarrier\n1\t2.5\ttrue\t"say \\"hi\\""\n');
    expect(tab.result).toMatchObject({ written: 0, quarantined: 1 }); // doubled-quote dialect: the backslash is data, the quote ends early
    const escaped = await run({ schema, csv: { delimiter: 'tab', escape: '\\' } }, 'id\tCost Total $\ton_time\tcarrier\n1\t2.5\ttrue\t"say \\"hi\\""\n');
    expect(escaped.result).toMatchObject({ written: 1, quarantined: 0 });
    const positional = await run({
      schema: schema.map(({ source: _source, ...column }, index) => ({ ...column, position: [2, 4, 1, 3][index] })),
      csv: { delimiter: 'pipe', header: false },
    }, 'true|1|AA|12.5\nfalse|2|BB\n');
    expect(positional.result).toMatchObject({ read: 2, written: 1, quarantined: 1 });
    expect(positional.store.quarantineLines()[0].reason).toBe('expected at least 4 fields (the highest column position), got 3');
    const dir = positional.store.toDirectory();
    const rows = await query(`SELECT id, cost_total::VARCHAR AS cost, on_time, carrier FROM read_parquet('${dir}/flights/**/*.parquet')`);
    expect(rows).toEqual([{ id: 1, cost: '12.500', on_time: true, carrier: 'AA' }]);
  });

  test('a wrong delimiter or a missing mapped header refuses the object once, quarantining every record', async () => {
    const wrong = await run({ schema }, 'id;Cost Total $;on_time;carrier\n1;2;true;A\n2;3;false;B\n');
    expect(wrong.result).toMatchObject({ read: 2, written: 0, quarantined: 2 });
    expect(wrong.result.refused).toMatch(/one field, so the fields are not separated by the comma delimiter \(csv\.delimiter\); expected the columns "id", "Cost Total \$"/);
    expect(new Set(wrong.store.quarantineLines().map((line) => line.reason))).toEqual(new Set([wrong.result.refused]));
    const missing = await run({ schema }, 'ID,Cost Total $,on_time,carrier\n1,2,true,A\n');
    expect(missing.result.refused).toBe('found the header "ID", "Cost Total $", "on_time", "carrier", which lacks the non-nullable column "id" (map a column to its header text with source)');
    expect(missing.result).toMatchObject({ written: 0, quarantined: 1 });
  });
});

describe('schema drift', () => {
  const schema = [{ name: 'id', type: 'int', nullable: false }, { name: 'carrier', type: 'string' }, { name: 'delay', type: 'int' }];
  const csv = 'delay,id,gate\n5,1,A7\n';

  test('by default extra columns are ignored and reported, missing nullable ones read as null', async () => {
    const { store, result } = await run({ schema }, csv);
    expect(result).toMatchObject({ written: 1, quarantined: 0, drift: { extraColumns: ['gate'], missingColumns: ['carrier'] } });
    const manifest = JSON.parse([...store.files].find(([key]) => key.startsWith('manifests/'))![1].toString('utf8'));
    expect(manifest.drift).toEqual({ extraColumns: ['gate'], missingColumns: ['carrier'] });
    const rows = await query(`SELECT id, carrier, delay FROM read_parquet('${store.toDirectory()}/flights/**/*.parquet')`);
    expect(rows).toEqual([{ id: 1, carrier: null, delay: 5 }]);
  });

  test('quarantine policies refuse the object with the reason', async () => {
    const extra = await run({ schema, drift: { extraColumns: 'quarantine' } }, 'delay,id,carrier,gate\n5,1,AA,A7\n');
    expect(extra.result.refused).toMatch(/has "gate" that the schema does not name \(drift\.extraColumns: quarantine\)/);
    expect(extra.result).toMatchObject({ written: 0, quarantined: 1 });
    const missing = await run({ schema, drift: { missingColumns: 'quarantine' } }, csv);
    expect(missing.result.refused).toMatch(/lacks "carrier" \(drift\.missingColumns: quarantine\)/);
  });

  test('files with reordered headers are read by name, never misaligned (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.shuffledSubarray(['id', 'carrier', 'delay'], { minLength: 3, maxLength: 3 }), async (order) => {
      const values: Record<string, string> = { id: '7', carrier: 'QF', delay: '12' };
      const { store, result } = await run({ schema }, `${order.join(',')}\n${order.map((name) => values[name]).join(',')}\n`);
      expect(result.written).toBe(1);
      const rows = await query(`SELECT id, carrier, delay FROM read_parquet('${store.toDirectory()}/flights/**/*.parquet')`);
      expect(rows).toEqual([{ id: 7, carrier: 'QF', delay: 12 }]);
    }), { numRuns: 6 });
  });
});

describe('config validation', () => {
  const base = { name: 'flights', ingest: 'batch', format: 'csv', primaryKey: ['id'], schema: [{ name: 'id', type: 'int', nullable: false }] };
  const issues = (config: Record<string, unknown>) => {
    const parsed = datasetSchema.safeParse({ ...base, ...config });
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  test('each option is checked with its field path', () => {
    expect(issues({ timeZone: 'Mars/Olympus' })).toEqual([expect.stringMatching(/^timeZone: expected an IANA time zone/)]);
    expect(issues({ csv: { delimiter: 'colon' } })[0]).toMatch(/^csv\.delimiter: /);
    expect(issues({ csv: { escape: '#' } })[0]).toMatch(/^csv\.escape: expected the quote character/);
    expect(issues({ csv: { header: false } })[0]).toMatch(/^schema\.0\.position: expected the field number/);
    expect(issues({ schema: [{ name: 'id', type: 'int', nullable: false, decimalRounding: 'round' }] })[0]).toMatch(/^schema\.0\.decimalRounding: only valid for decimal columns/);
    expect(issues({ schema: [{ name: 'id', type: 'int', nullable: false }, { name: 'd', type: 'date', format: 'dd.MM.yy' }] })[0]).toMatch(/^schema\.1\.format: "yy" is not a pattern letter/);
    expect(issues({ format: 'jsonl', drift: { extraColumns: 'ignore' } })[0]).toMatch(/^drift: only valid with format csv/);
    expect(issues({ csv: { trueValues: ['Y'], falseValues: ['y'] } })[0]).toMatch(/^csv\.falseValues: "Y" is also a true value/);
  });
});

describe('the same policies in the Firehose processor path (converters)', () => {
  test('rounding and formats apply to JSON values too', () => {
    const compiled = compileDataset(datasetSchema.parse({
      name: 'events', ingest: 'stream', format: 'jsonl', primaryKey: ['id'],
      schema: [{ name: 'id', type: 'int', nullable: false }, { name: 'price', type: 'decimal(6,2)', decimalRounding: 'round' }, { name: 'at', type: 'timestamp', format: 'epoch_seconds' }],
    }));
    expect(compiled.converters[1](26.7999992371)).toBe(2680);
    expect(compiled.converters[2](1720098000)).toBe(1720098000 * 1_000_000);
    expect(converterFor({ name: 'x', kind: 'timestamp', nullable: true })('9999-01-01T00:00:00Z')).toEqual(new Rejected('column x: "9999-01-01T00:00:00Z" is outside the years a timestamp can hold (1685-06 to 2255-07: microseconds since 1970 beyond 2^53)'));
  });
});

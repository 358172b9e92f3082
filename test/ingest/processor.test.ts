import fc from 'fast-check';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { processRecords } from '../../lambda/ingest/processor';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import { sampleConfig } from '../helpers/sample-app';

const webEvents = compileDataset(sampleConfig().lobs.find((l) => l.name === 'marketing')!.datasets.find((d) => d.name === 'web_events')!);
const event = (texts: string[]): FirehoseTransformationEvent => ({
  invocationId: 'i', deliveryStreamArn: 'arn:aws:firehose:eu-west-1:111111111111:deliverystream/x', region: 'eu-west-1',
  records: texts.map((text, index) => ({ recordId: `r${index}`, approximateArrivalTimestamp: Date.UTC(2024, 0, 2, 23, 59), data: Buffer.from(text).toString('base64') })),
});
const valid = { event_id: 'e-1', event_time: '2024-01-02T08:00:01.123456+01:00', event_date: '2024-01-02', session_id: 's', page: '/', referrer: null, event_type: 'click', duration_ms: 12, extra: 'ignored' };

describe('Firehose record processor', () => {
  test('valid records become canonical JSON lines partitioned by arrival date', () => {
    const { result, failed } = processRecords(event([JSON.stringify(valid)]), webEvents);
    expect(failed).toEqual([]);
    const [record] = result.records;
    expect(record).toMatchObject({ recordId: 'r0', result: 'Ok', metadata: { partitionKeys: { ingest_date: '2024-01-02' } } });
    expect(JSON.parse(Buffer.from(record.data!, 'base64').toString())).toEqual({
      event_id: 'e-1', event_time: '2024-01-02T07:00:01.123456Z', event_date: '2024-01-02', session_id: 's', page: '/', referrer: null, event_type: 'click', duration_ms: 12,
    });
    expect(Buffer.from(record.data!, 'base64').toString().endsWith('\n')).toBe(true);
  });

  test('invalid records are ProcessingFailed with their reason, never dropped', () => {
    const { result, failed } = processRecords(event(['not json', JSON.stringify({ ...valid, event_time: 'yesterday' }), '[1]']), webEvents);
    expect(result.records.map((r) => r.result)).toEqual(['ProcessingFailed', 'ProcessingFailed', 'ProcessingFailed']);
    expect(failed.map((f) => f.reason)).toEqual([
      expect.stringMatching(/^invalid JSON/), 'column event_time: expected an ISO-8601 timestamp, got "yesterday"', 'expected a JSON object',
    ]);
  });

  test('decimal rounding holds as in the transform: round rounds half-even and is counted, reject refuses', () => {
    const base = sampleConfig().lobs.find((l) => l.name === 'marketing')!.datasets.find((d) => d.name === 'web_events')!;
    const withPrice = (decimalRounding: 'round' | 'reject') => compileDataset({
      ...base, name: 'priced_events',
      schema: [...base.schema, { name: 'price', type: 'decimal(10,2)', nullable: true, classification: 'public', decimalRounding }],
    } as typeof base);
    const texts = [JSON.stringify({ ...valid, price: '26.7999992371' }), JSON.stringify({ ...valid, price: '0.125' }), JSON.stringify({ ...valid, price: '1.5' })];
    const rounded = processRecords(event(texts), withPrice('round'));
    expect(rounded.failed).toEqual([]);
    expect(rounded.rounded).toBe(2);
    expect(rounded.result.records.map((r) => JSON.parse(Buffer.from(r.data!, 'base64').toString()).price)).toEqual(['26.80', '0.12', '1.50']);
    const rejected = processRecords(event(texts), withPrice('reject'));
    expect(rejected.rounded).toBe(0);
    expect(rejected.result.records.map((r) => r.result)).toEqual(['ProcessingFailed', 'ProcessingFailed', 'Ok']);
    expect(rejected.failed[0].reason).toMatch(/^column price: /);
  });

  test('every record in comes out, once, with its id', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.constant(JSON.stringify(valid))), { maxLength: 30 }), (texts) => {
      const { result, failed } = processRecords(event(texts), webEvents);
      expect(result.records.map((r) => r.recordId)).toEqual(texts.map((_, i) => `r${i}`));
      expect(result.records.filter((r) => r.result === 'ProcessingFailed')).toHaveLength(failed.length);
    }));
  });
});

import * as logs from 'aws-cdk-lib/aws-logs';
import { LOG_RETENTION_DAYS } from '../../lib/config/log-retention';
import { FINANCE, MARKETING, configErrorOf, parseFixture, sampleFixture } from '../helpers/config-fixtures';

const ALLOWED = LOG_RETENTION_DAYS.join(', ');

test('the retention periods lib/config accepts are exactly the days of aws-cdk-lib\'s logs.RetentionDays', () => {
  const days = Object.values(logs.RetentionDays).filter((value): value is number => typeof value === 'number' && value !== logs.RetentionDays.INFINITE);
  expect([...LOG_RETENTION_DAYS]).toEqual(days.sort((a, b) => a - b));
});

describe('logRetentionDays outside CloudWatch Logs\' periods fails synth naming the file, the field and the allowed values', () => {
  test.each([
    ['transform', FINANCE, 2],
    ['ingest', MARKETING, 366],
    ['curation', FINANCE, 10000],
  ] as const)('%s.logRetentionDays', (block, file, days) => {
    expect(configErrorOf((f) => { f.lobs[file][block] = { ...f.lobs[file][block], logRetentionDays: days }; })).toBe(
      `${file}: ${block}.logRetentionDays: expected one of ${ALLOWED}; got ${days}`,
    );
  });

  test('a number in quotes is not a number of days', () => {
    expect(configErrorOf((f) => { f.lobs[MARKETING].ingest = { logRetentionDays: '365' }; })).toBe(
      `${MARKETING}: ingest.logRetentionDays: expected one of ${ALLOWED}; got "365"`,
    );
  });
});

test('transform, ingest and curation each have their own logRetentionDays, 365 unless set', () => {
  const fixture = sampleFixture();
  fixture.lobs[MARKETING].transform = { ...fixture.lobs[MARKETING].transform, logRetentionDays: 30 };
  fixture.lobs[MARKETING].ingest = { logRetentionDays: 90 };
  fixture.lobs[MARKETING].curation = { ...fixture.lobs[MARKETING].curation, logRetentionDays: 400 };
  const lobs = parseFixture(fixture).lobs;
  const marketing = lobs.find((lob) => lob.name === 'marketing')!;
  expect([marketing.transform.logRetentionDays, marketing.ingest.logRetentionDays, marketing.curation.logRetentionDays]).toEqual([30, 90, 400]);
  const finance = lobs.find((lob) => lob.name === 'finance')!;
  expect([finance.transform.logRetentionDays, finance.ingest.logRetentionDays, finance.curation.logRetentionDays]).toEqual([365, 365, 365]);
  expect(finance.ingest.processor.memoryMb).toBe(512);
});

test('the record processor\'s memory is bounded by what Lambda allows', () => {
  expect(configErrorOf((f) => { f.lobs[MARKETING].ingest = { processor: { memoryMb: 64 } }; })).toBe(
    `${MARKETING}: ingest.processor.memoryMb: expected at least 128; got 64`,
  );
});

import { datasetSchema, type DatasetConfig } from '../../lib/config/lob-schema';
import { partitionLocationTemplate, partitionProjectionParameters, projectionOf, standardizedTableInput } from '../../lib/catalog/standardized-table';

const dataset = (overrides: Record<string, unknown> = {}): DatasetConfig => datasetSchema.parse({
  name: 'events',
  ingest: 'batch',
  format: 'jsonl',
  schema: [
    { name: 'id', type: 'string', nullable: false },
    { name: 'day', type: 'date', nullable: false, range: { min: '2020-01-01' } },
    { name: 'region', type: 'string', nullable: false, allowedValues: ['EU', 'US'] },
    { name: 'shard', type: 'int', nullable: false },
    { name: 'amount', type: 'decimal(12,2)' },
  ],
  partitionColumns: ['day', 'region'],
  primaryKey: ['id'],
  ...overrides,
});

describe('standardized table declaration', () => {
  test('data columns keep config order and Hive types; partition columns become partition keys', () => {
    const input = standardizedTableInput(dataset(), 'bucket');
    expect((input.storageDescriptor as any).columns.map((c: any) => [c.name, c.type])).toEqual([['id', 'string'], ['shard', 'int'], ['amount', 'decimal(12,2)']]);
    expect((input.partitionKeys as any[]).map((c) => [c.name, c.type])).toEqual([['day', 'date'], ['region', 'string']]);
    expect((input.storageDescriptor as any).location).toBe('s3://bucket/events/');
  });

  test('projects dates from range.min to now and strings from their allowed values', () => {
    expect(partitionProjectionParameters(dataset(), 'bucket')).toEqual({
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy-MM-dd',
      'projection.day.range': '2020-01-01,NOW',
      'projection.day.interval': '1',
      'projection.day.interval.unit': 'DAYS',
      'projection.region.type': 'enum',
      'projection.region.values': 'EU,US',
      'storage.location.template': 's3://bucket/events/day=${day}/region=${region}/',
    });
  });

  test('a partition column whose values cannot be enumerated is refused by config: nothing else would find its partitions', () => {
    expect(() => dataset({ partitionColumns: ['day', 'id'] })).toThrow(/partition column \\"id\\" is a string: declare its allowedValues/);
    expect(() => dataset({ partitionColumns: ['shard'] })).toThrow(/partition column \\"shard\\" is an integer: declare its range/);
    expect(projectionOf({ name: 'id', type: 'string', nullable: false, classification: 'internal' })).toBeUndefined();
    expect(partitionProjectionParameters(dataset({ partitionColumns: [] }), 'bucket')).toEqual({});
  });

  test('projects integers with a range', () => {
    const shard = { name: 'shard', type: 'int', nullable: false, classification: 'internal' as const, range: { min: 0, max: 15 } };
    expect(projectionOf(shard)).toEqual({ 'projection.shard.type': 'integer', 'projection.shard.range': '0,15' });
  });

  test('a month of a date is a string partition key projected as a date by month; the date stays a data column', () => {
    const monthly = dataset({ partitionColumns: [{ column: 'day', granularity: 'month', as: 'day_month' }, 'region'] });
    const input = standardizedTableInput(monthly, 'bucket');
    expect((input.storageDescriptor as any).columns.map((c: any) => c.name)).toEqual(['id', 'day', 'shard', 'amount']);
    expect((input.partitionKeys as any[]).map((c) => [c.name, c.type])).toEqual([['day_month', 'string'], ['region', 'string']]);
    expect(partitionProjectionParameters(monthly, 'bucket')).toEqual({
      'projection.enabled': 'true',
      'projection.day_month.type': 'date',
      'projection.day_month.format': 'yyyy-MM',
      'projection.day_month.range': '2020-01,NOW',
      'projection.day_month.interval': '1',
      'projection.day_month.interval.unit': 'MONTHS',
      'projection.region.type': 'enum',
      'projection.region.values': 'EU,US',
      'storage.location.template': 's3://bucket/events/day_month=${day_month}/region=${region}/',
    });
    const yearly = dataset({ partitionColumns: [{ column: 'day', granularity: 'year', as: 'day_year' }] });
    expect(partitionProjectionParameters(yearly, 'bucket')).toMatchObject({ 'projection.day_year.format': 'yyyy', 'projection.day_year.range': '2020,NOW', 'projection.day_year.interval.unit': 'YEARS' });
  });

  test('the location template follows the key layout the transform writes', () => {
    expect(partitionLocationTemplate('b', dataset())).toBe('s3://b/events/day=${day}/region=${region}/');
    expect(partitionLocationTemplate('b', dataset({ partitionColumns: [] }))).toBe('s3://b/events/');
  });
});

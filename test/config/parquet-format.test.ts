/**
 * `format: parquet` at synth: what a Parquet file carries itself (column names, types, page
 * compression) cannot also be configured, and the error names the file, the field and what was
 * expected; drift and column `source` apply as they do to CSV.
 */
import { FINANCE, type Fixture, configErrorOf, parseFixture, sampleFixture } from '../helpers/config-fixtures';

/** The finance sample with a Parquet dataset added, changed by `change`. */
function withParquetDataset(change: (dataset: Record<string, unknown>) => void = () => undefined) {
  return (fixture: Fixture) => {
    const dataset: Record<string, unknown> = {
      name: 'fund_prices', ingest: 'batch', format: 'parquet', primaryKey: ['fund'],
      schema: [{ name: 'fund', type: 'string', nullable: false, source: 'Fund Code' }, { name: 'nav', type: 'decimal(12,4)' }],
      drift: { extraColumns: 'quarantine', missingColumns: 'quarantine' },
    };
    change(dataset);
    fixture.lobs[FINANCE].datasets.push(dataset);
  };
}
const index = () => sampleFixture().lobs[FINANCE].datasets.length;

test('a Parquet dataset with drift policies and a source mapping is accepted', () => {
  const fixture = sampleFixture();
  withParquetDataset()(fixture);
  const dataset = parseFixture(fixture).lobs.find((lob) => lob.name === 'finance')!.datasets.find((candidate) => candidate.name === 'fund_prices')!;
  expect(dataset).toMatchObject({ format: 'parquet', drift: { extraColumns: 'quarantine' }, schema: [{ source: 'Fund Code' }, {}] });
});

test('CSV and JSON options are refused with the file, the field and what was expected', () => {
  expect(configErrorOf(withParquetDataset((dataset) => { dataset.csv = { delimiter: 'semicolon' }; }))).toBe(
    `config/lobs/finance.yaml: datasets[${index()}].csv: only valid with format csv; this dataset's format is parquet, whose files name their columns and type their values`,
  );
  expect(configErrorOf(withParquetDataset((dataset) => { dataset.json = { fields: { fund: ['code'] } }; }))).toBe(
    `config/lobs/finance.yaml: datasets[${index()}].json: only valid with format json or jsonl; this dataset's format is parquet`,
  );
  expect(configErrorOf(withParquetDataset((dataset) => { (dataset.schema as Array<Record<string, unknown>>)[1].position = 2; }))).toMatch(
    new RegExp(`^config/lobs/finance\\.yaml: datasets\\[${index()}\\]\\.schema\\[1\\]\\.position: only valid with format csv; this dataset's format is parquet`),
  );
});

test('a stream dataset cannot be Parquet, and an API source must say what its responses are', () => {
  expect(configErrorOf(withParquetDataset((dataset) => { dataset.ingest = 'stream'; }))).toMatch(/datasets\[\d+\]\.format: stream datasets receive one JSON record per Firehose record; expected jsonl, got parquet/);
  expect(configErrorOf(withParquetDataset((dataset) => {
    dataset.source = { api: { url: 'https://example.com/navs', schedule: 'cron(0 6 * * ? *)' } };
  }))).toMatch(/datasets\[\d+\]\.source\.api\.response: expected the format the API answers in/);
});

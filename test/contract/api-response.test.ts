/**
 * The transform refuses, at start-up, bundled datasets whose API response reading it could not
 * follow (contract/dataset.ts, datasetProblem): synth checks the same in full, with file and field.
 */
import { datasetProblem } from '../../contract/dataset';
import { sampleConfig } from '../helpers/sample-app';

const stockPrices = sampleConfig().lobs.find((lob) => lob.name === 'finance')!.datasets.find((dataset) => dataset.name === 'stock_prices')!;
const withResponse = (response: unknown) => ({ ...stockPrices, source: { api: { ...stockPrices.source!.api!, response } } });

test('the sample\'s reading is accepted, and so is a dataset without one', () => {
  expect(datasetProblem(JSON.parse(JSON.stringify(stockPrices)))).toBeUndefined();
  expect(datasetProblem({ ...stockPrices, source: undefined })).toBeUndefined();
});

test.each([
  [{ format: 'csv' }, 'dataset stock_prices: source.api.response.format is not one of json, jsonl, nested_json'],
  [{ format: 'json', json: { fields: {} } }, 'dataset stock_prices: source.api.response format json needs json.recordPath'],
  [{ format: 'nested_json' }, 'dataset stock_prices: source.api.response format nested_json needs nestedKeys'],
  [{ format: 'json', json: { recordPath: [{}], fields: { price: ['p'] } } }, 'dataset stock_prices: "price" is not a column of its schema'],
])('a response reading %j is refused', (response, message) => {
  expect(datasetProblem(withResponse(response))).toBe(message);
});

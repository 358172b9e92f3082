/**
 * Config schema of a dataset's `json` block (contract/json-shape.ts): where a JSON document's
 * records are and where each column's value is, and the checks that need the whole dataset.
 */
import { z } from 'zod';
import { type DatasetJsonShape, documentFieldEnclosingRecords } from '../../contract/json-shape';
import { IDENTIFIER_PATTERN, IDENTIFIER_RULE } from './names';

const keyPath = z.array(z.string({ error: 'expected an object key (a string)' }), { error: 'expected a list of object keys, outermost first' })
  .min(1, { error: 'expected at least one key' });

const columnName = z.string().regex(IDENTIFIER_PATTERN, { error: (issue) => `expected a column name of ${IDENTIFIER_RULE}; got ${JSON.stringify(issue.input)}` });

const recordPathStep = z.union([
  z.string().meta({ description: 'A literal object key.' }),
  z.strictObject({
    keyAs: columnName.optional().meta({ description: 'The column the entry key (or array index) becomes. Omit to discard it.' }),
  }).meta({ description: 'Every entry of an object, or every element of an array, at this level.' }),
], { error: 'expected an object key (a string) or {keyAs: <column>} for every entry' });

export const jsonShapeSchema = z.strictObject({
  recordPath: z.array(recordPathStep).optional().meta({
    description: 'For format json: the path from the document root to each record. [{}] reads a document that is one array of objects; '
      + '["Time Series (Daily)", {keyAs: date}] reads the entries of that object, each key becoming column date.',
  }),
  fields: z.record(columnName, keyPath).optional().meta({
    description: 'Column name to the path of its value inside a record, e.g. open: ["1. open"] or city: [address, city]. Default: the column name.',
  }),
  documentFields: z.record(columnName, keyPath).optional().meta({
    description: 'For format json: column name to the path of its value from the document root, outside the records, e.g. '
      + 'ticker: ["Meta Data", "2. Symbol"]. Copied into every record; must appear before the records in the document.',
  }),
}).meta({ description: 'Where values are in JSON input: format json (recordPath, fields, documentFields), format jsonl (fields).' });

interface ShapedDataset {
  readonly format: string;
  readonly json?: DatasetJsonShape;
}

/**
 * Cross-field rules of the json block: columns it names exist, each column has one source, and it
 * fits the format. `formatOwner` says whose format messages mean (the dataset's, or an API response's).
 */
export function jsonShapeIssues(
  dataset: ShapedDataset, columns: ReadonlySet<string>, problem: (path: (string | number)[], message: string) => void, formatOwner = 'this dataset\'s format',
): void {
  const { json } = dataset;
  if (dataset.format === 'json' && !json?.recordPath) {
    problem(['json', 'recordPath'], 'expected the path to the records for format json, e.g. [{}] for a top-level array');
  }
  if (!json) return;
  if (dataset.format !== 'json' && dataset.format !== 'jsonl') {
    problem(['json'], `only valid with format json or jsonl; ${formatOwner} is ${dataset.format}`);
    return;
  }
  if (dataset.format === 'jsonl') {
    if (json.recordPath) problem(['json', 'recordPath'], 'only valid with format json: each jsonl line is one record');
    if (json.documentFields) problem(['json', 'documentFields'], 'only valid with format json: a jsonl line has nothing outside its record');
  }
  const sources = new Map<string, string>();
  const claim = (column: string, path: (string | number)[]) => {
    if (!columns.has(column)) problem(path, `expected a column of this dataset's schema; got ${JSON.stringify(column)}`);
    const earlier = sources.get(column);
    if (earlier) problem(path, `column ${JSON.stringify(column)} already comes from ${earlier}; a column has one source`);
    else sources.set(column, path.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('').slice(1));
  };
  (json.recordPath ?? []).forEach((step, index) => {
    if (typeof step === 'object' && step.keyAs !== undefined) claim(step.keyAs, ['json', 'recordPath', index, 'keyAs']);
  });
  for (const column of Object.keys(json.documentFields ?? {})) claim(column, ['json', 'documentFields', column]);
  for (const column of Object.keys(json.fields ?? {})) claim(column, ['json', 'fields', column]);
  const enclosing = documentFieldEnclosingRecords(json);
  if (enclosing) {
    problem(['json', 'documentFields', enclosing], 'this path (a key with a dot matches any key) could enclose the records, which would hold the whole document in memory; '
      + 'name a value beside the records, not a level above them');
  }
}

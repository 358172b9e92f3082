/**
 * Config schema of `source.api.response` (contract/api-response.ts): how the transform reads the
 * API's responses, so that a dataset of uploaded files keeps its own format. The checks that need
 * the dataset's schema run from the dataset's refinement.
 */
import { z } from 'zod';
import { API_RESPONSE_FORMATS } from '../../contract/api-response';
import { jsonShapeIssues, jsonShapeSchema } from './json-shape-schema';
import { IDENTIFIER_PATTERN, IDENTIFIER_RULE } from './names';

const columnName = z.string().regex(IDENTIFIER_PATTERN, { error: (issue) => `expected a column name of ${IDENTIFIER_RULE}; got ${JSON.stringify(issue.input)}` });

export const apiResponseSchema = z.strictObject({
  format: z.enum(API_RESPONSE_FORMATS).meta({ description: 'How each response is encoded: json (one document), jsonl, or nested_json.' }),
  json: jsonShapeSchema.optional().meta({
    description: 'For format json: where the records are in a response and where each column\'s value is (recordPath, fields, documentFields); for jsonl: fields.',
  }),
  nestedKeys: z.array(columnName).min(1).optional()
    .meta({ description: 'For format nested_json: the column each level of object keys becomes, outermost first.' }),
}).meta({
  description: 'How the transform reads this source\'s responses (landing/<dataset>/api/…); objects elsewhere keep the dataset\'s format. '
    + 'Default: the dataset\'s format.',
});
export type ApiResponseConfig = z.infer<typeof apiResponseSchema>;

const RESPONSE_PATH = ['source', 'api', 'response'];

/** Cross-field rules of the response reading: the columns it names exist, and its options fit its format. */
export function apiResponseIssues(response: ApiResponseConfig | undefined, columns: ReadonlySet<string>, problem: (path: (string | number)[], message: string) => void): void {
  if (!response) return;
  const at = (path: (string | number)[], message: string) => problem([...RESPONSE_PATH, ...path], message);
  jsonShapeIssues(response, columns, at, 'the response\'s format');
  if (response.format === 'nested_json' && !response.nestedKeys) at(['nestedKeys'], 'expected the list of key columns, outermost first, for format nested_json');
  if (response.format !== 'nested_json' && response.nestedKeys) at(['nestedKeys'], `only valid with format nested_json; the response's format is ${response.format}`);
  response.nestedKeys?.forEach((name, index) => {
    if (!columns.has(name)) at(['nestedKeys', index], `expected a column of this dataset's schema; got ${JSON.stringify(name)}`);
  });
}

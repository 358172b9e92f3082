/**
 * A Lambda's environment variables are spelled only in contract/ (transform-settings.ts,
 * processor-settings.ts, lambda-environment.ts): the stacks, local mode, the test harnesses and the
 * handlers go through `toEnvironment()` and `fromEnvironment()`. Code elsewhere that names one of
 * the variables (in a string, a template or a property name; comments do not count) builds or
 * reads an environment by hand, and could forget a setting the others have. Tests of the settings
 * themselves (`*.test.ts`) may name them.
 */
import * as path from 'node:path';
import * as ts from 'typescript';
import * as processorSettings from '../../contract/processor-settings';
import * as transformSettings from '../../contract/transform-settings';
import { repositorySources } from '../helpers/import-graph';

const ROOT = path.join(__dirname, '..', '..');
const VARIABLES = [...new Set([...transformSettings.VARIABLES, ...processorSettings.VARIABLES])].sort();

/** Each variable `text` names in code (not in comments), as `line: NAME`. */
function spelledVariables(fileName: string, text: string, variables: readonly string[]): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) || ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node) || ts.isRegularExpressionLiteral(node)) {
      for (const name of variables) {
        if (new RegExp(`\\b${name}\\b`).test(node.text)) found.push(`${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${name}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('Lambda settings are spelled in contract/ only', () => {
  test('the variables are known: both functions\' settings modules', () => {
    expect(VARIABLES).toEqual(expect.arrayContaining(['LAKEWORKS_DATASET', 'LAKEWORKS_DATASETS', 'PARQUET_INTEGER_ENCODING', 'POWERTOOLS_SERVICE_NAME', 'ROW_GROUP_ROWS', 'STANDARDIZED_BUCKET']));
  });

  test('no code outside contract/ (tests of the settings aside) names a variable', () => {
    const offenders = [...repositorySources(ROOT)]
      .filter(([file]) => !file.startsWith('contract/') && !file.endsWith('.test.ts'))
      .flatMap(([file, text]) => spelledVariables(file, text, VARIABLES).map((where) => `${file}:${where}`));
    expect(offenders).toEqual([]);
  });

  test('the check sees an environment built by hand, and not a comment about one', () => {
    const byHand = [
      '// Sets ROW_GROUP_ROWS like the stack does.',
      "Object.assign(process.env, { STANDARDIZED_BUCKET: bucket, ROW_GROUP_ROWS: String(rows) });",
      'const datasets = process.env.LAKEWORKS_DATASETS;',
      "const name = `POWERTOOLS_${'SERVICE_NAME'}`;",
      "environment['PARQUET_INTEGER_ENCODING'] = 'plain';",
    ].join('\n');
    expect(spelledVariables('hand.ts', byHand, VARIABLES)).toEqual(['2: STANDARDIZED_BUCKET', '2: ROW_GROUP_ROWS', '3: LAKEWORKS_DATASETS', '5: PARQUET_INTEGER_ENCODING']);
  });
});

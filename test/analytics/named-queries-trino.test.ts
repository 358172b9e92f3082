/**
 * Every named query is valid Athena engine 3 SQL, which is Trino's dialect: rendered with each
 * environment's real database names, it parses under dt-sql-parser's Trino grammar (an adaptation
 * of Trino's own ANTLR grammar, SqlBase.g4) with no syntax error, passes the checks Trino's parser
 * makes after the grammar (its PostProcessor rejects backquoted, digit-initial and empty quoted
 * identifiers), is a single statement, and names only tables its LoB declares. What the queries
 * *return* is tested on Spark over the curated Iceberg tables (glue-scripts/tests).
 *
 * Table references come from the parse tree (the grammar's `tableRef` nodes: FROM, JOIN, subqueries,
 * CTE bodies, set operations, `TABLE t`), not from a regex over the text.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import type * as DtSqlParser from 'dt-sql-parser';
import type { IdentifierContext, TableRefContext, ViewRefContext } from 'dt-sql-parser/dist/lib/trino/TrinoSqlParser';
import { QUERIES_ROOT, namedQueries, renderQuery } from '../../lib/analytics/named-queries';
import { curatedTables } from '../../lib/config/curated-tables';
import type { LobConfig } from '../../lib/config/lob-schema';
import { DATA_LAYERS, type DataLayer, glueDatabaseName } from '../../lib/config/names';
import { sampleConfig } from '../helpers/sample-app';

const ROOT = path.join(__dirname, '..', '..');

/**
 * dt-sql-parser ships ES module syntax with extensionless and directory imports and no
 * `"type": "module"`, so neither Node nor Jest's CommonJS runtime loads it as published
 * (DTStack/dt-sql-parser#423). esbuild (already a dev dependency) bundles its Trino parser and the
 * antlr4ng runtime into one CommonJS file, which is loaded and deleted.
 */
function loadDtSqlParser(): typeof DtSqlParser {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-trino-parser-'));
  const outfile = path.join(dir, 'dt-sql-parser-trino.js');
  try {
    buildSync({
      stdin: { contents: "export { TrinoSQL, TrinoSqlListener } from 'dt-sql-parser';", resolveDir: ROOT },
      bundle: true, format: 'cjs', platform: 'node', target: 'node20', outfile, logLevel: 'error',
    });
    return require(outfile) as typeof DtSqlParser;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const { TrinoSQL, TrinoSqlListener } = loadDtSqlParser();
const trino = new TrinoSQL();

interface TableReference {
  /** Catalog, schema (database) and table as written, unquoted and lower-cased as Athena resolves them. */
  readonly parts: readonly string[];
  readonly text: string;
  /** `line L:C` with a 1-based column, as Trino reports positions. */
  readonly at: string;
}

interface TrinoAnalysis {
  /** Syntax errors and Trino's post-grammar rejections, each as `line L:C: message`; empty when valid. */
  readonly errors: string[];
  /** Every table or view reference, in the order the parse tree has them. */
  readonly tables: TableReference[];
  /** Names the query defines with WITH, which it may then name unqualified. */
  readonly cteNames: ReadonlySet<string>;
}

const position = (line: number, column: number) => `line ${line}:${column}`;

/** An identifier's name as Athena resolves it: double quotes removed, and lower case (Glue names are). */
function identifierName(identifier: IdentifierContext): string {
  const text = identifier.getText();
  return (text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text).toLowerCase();
}

/** The query as Athena engine 3 (Trino) would parse it. */
function analyze(sql: string): TrinoAnalysis {
  const syntaxErrors = trino.validate(sql).map((error) => `${position(error.startLine, error.startColumn)}: ${error.message}`);
  if (syntaxErrors.length > 0) return { errors: syntaxErrors, tables: [], cteNames: new Set() };

  const errors: string[] = [];
  const tables: TableReference[] = [];
  const cteNames = new Set<string>();
  let statements = 0;
  // Trino's SqlParser runs a PostProcessor over the tree that rejects these identifiers the grammar
  // itself accepts; the messages are Trino's.
  const rejectAt = (ctx: IdentifierContext, message: string) => errors.push(`${position(ctx.start!.line, ctx.start!.column + 1)}: ${message}`);
  const tableReference = (ctx: TableRefContext | ViewRefContext) => {
    tables.push({ parts: ctx.identifier().map(identifierName), text: ctx.getText(), at: position(ctx.start!.line, ctx.start!.column + 1) });
  };
  const listener = Object.assign(new TrinoSqlListener(), {
    enterSingleStatement: () => { statements += 1; },
    enterNamedQuery: (ctx: { identifier(): IdentifierContext }) => { cteNames.add(identifierName(ctx.identifier())); },
    enterTableRef: tableReference,
    enterViewRef: tableReference,
    enterBackQuotedIdentifier: (ctx: IdentifierContext) => rejectAt(ctx, 'backquoted identifiers are not supported; use double quotes to quote identifiers'),
    enterDigitIdentifier: (ctx: IdentifierContext) => rejectAt(ctx, 'identifiers must not start with a digit; surround the identifier with double quotes'),
    enterQuotedIdentifier: (ctx: IdentifierContext) => {
      if (ctx.getText().length === 2) rejectAt(ctx, 'Zero-length delimited identifier not allowed');
    },
  });
  trino.listen(listener, trino.parse(sql));
  // An Athena named query holds one statement.
  if (statements !== 1) errors.push(`expected exactly one statement; got ${statements}`);
  return { errors, tables, cteNames };
}

type Scope = { readonly organisation: string; readonly environment: string };

/** Each layer database of the LoB in an environment, with the tables the LoB declares in it. */
function declaredTables(lob: LobConfig, scope: Scope): Map<string, { layer: DataLayer; tables: ReadonlySet<string> }> {
  const tablesOf = (layer: DataLayer): string[] => {
    if (layer === 'raw') return [];
    if (layer === 'standardized') return lob.datasets.map((dataset) => dataset.name);
    return curatedTables(lob).filter((table) => table.layer === layer).map((table) => table.name);
  };
  return new Map(DATA_LAYERS.map((layer) => [glueDatabaseName(scope, lob.name, layer), { layer, tables: new Set(tablesOf(layer)) }]));
}

/**
 * What is wrong with the tables a query names: each must be `<layer database>.<table>` (optionally
 * under AwsDataCatalog) of this LoB and environment, with the table declared in that layer
 * (standardized: the LoB's datasets; conformed, enriched: its curated tables). Unqualified names
 * are only its own WITH names: a named query must not depend on the workgroup's default database.
 */
function tableProblems(analysis: TrinoAnalysis, lob: LobConfig, scope: Scope): string[] {
  const databases = declaredTables(lob, scope);
  const problems: string[] = [];
  for (const reference of analysis.tables) {
    const [table, database, catalog] = [...reference.parts].reverse();
    const at = `${reference.at}: ${reference.text}`;
    if (reference.parts.length === 1) {
      if (!analysis.cteNames.has(table)) problems.push(`${at} is not qualified; write {{layer}}.${table}`);
      continue;
    }
    if (catalog !== undefined && catalog !== 'awsdatacatalog') {
      problems.push(`${at} is in catalog ${catalog}; the lake's tables are in AwsDataCatalog`);
      continue;
    }
    const declared = databases.get(database);
    if (!declared) {
      problems.push(`${at} is not in a layer database of ${lob.name} in ${scope.environment} (${[...databases.keys()].join(', ')})`);
    } else if (!declared.tables.has(table)) {
      problems.push(`${at} is not a declared ${declared.layer} table of ${lob.name} (declared: ${[...declared.tables].join(', ') || 'none'})`);
    }
  }
  return problems;
}

const config = sampleConfig();
const cases = config.platform.environments.flatMap((environment) => config.lobs.flatMap((lob) => {
  const scope = { organisation: config.platform.organisation, environment: environment.name };
  return namedQueries(lob.name).map((query) => ({
    environment: environment.name, lob, lobName: lob.name, name: query.name, scope,
    sql: renderQuery(query.template, (layer) => glueDatabaseName(scope, lob.name, layer)),
  }));
}));

describe('named queries are Athena engine 3 (Trino) SQL', () => {
  test('every query folder belongs to a configured LoB, and every query is checked in every environment', () => {
    const folders = fs.readdirSync(QUERIES_ROOT).filter((entry) => fs.statSync(path.join(QUERIES_ROOT, entry)).isDirectory());
    expect(folders.filter((folder) => !config.lobs.some((lob) => lob.name === folder))).toEqual([]);
    const files = folders.flatMap((folder) => fs.readdirSync(path.join(QUERIES_ROOT, folder)).filter((file) => file.endsWith('.sql')));
    expect(files.length).toBeGreaterThan(0);
    expect(cases).toHaveLength(files.length * config.platform.environments.length);
  });

  test.each(cases)('$environment $lobName/$name parses under the Trino grammar with no error', ({ sql }) => {
    expect(analyze(sql).errors).toEqual([]);
  });

  test.each(cases)('$environment $lobName/$name names only tables its LoB declares', ({ sql, lob, scope }) => {
    const analysis = analyze(sql);
    expect(analysis.errors).toEqual([]);
    expect(analysis.tables.length).toBeGreaterThan(0);
    expect(tableProblems(analysis, lob, scope)).toEqual([]);
  });
});

describe('the Trino check reports what Athena engine 3 would refuse', () => {
  const finance = config.lobs.find((lob) => lob.name === 'finance')!;
  const scope = { organisation: config.platform.organisation, environment: 'dev' };
  const enriched = glueDatabaseName(scope, 'finance', 'enriched');
  const topMovers = renderQuery(namedQueries('finance').find((query) => query.name === 'top_movers')!.template, (layer) => glueDatabaseName(scope, 'finance', layer));

  test('a backtick-quoted identifier (Spark, Hive) is reported with its position and Trino\'s message', () => {
    const broken = topMovers.replace('SELECT ticker,', 'SELECT `ticker`,');
    expect(broken).not.toBe(topMovers);
    // Line 1 is the description comment.
    expect(analyze(broken).errors).toEqual(['line 2:8: backquoted identifiers are not supported; use double quotes to quote identifiers']);
    expect(analyze(topMovers.replace('SELECT ticker,', 'SELECT "ticker",')).errors).toEqual([]);
  });

  test.each([
    ['Spark\'s LATERAL VIEW', `SELECT t.ticker, tag FROM ${enriched}.stock_metrics t LATERAL VIEW explode(tags) x AS tag`, /^line 1:69: 'LATERAL' is not valid at this position/],
    ['LIMIT before OFFSET (Trino wants OFFSET first)', `SELECT ticker FROM ${enriched}.stock_metrics ORDER BY ticker LIMIT 10 OFFSET 5`, /^line 1:\d+: 'OFFSET' is not valid at this position/],
    ['== for equality', `SELECT ticker FROM ${enriched}.stock_metrics WHERE ticker == 'AAPL'`, /^line 1:\d+: '=' is not valid at this position/],
    ['an unterminated string', `SELECT ticker FROM ${enriched}.stock_metrics WHERE ticker = 'AAPL`, /^line 1:\d+: /],
    ['an identifier starting with a digit', `SELECT 1ticker FROM ${enriched}.stock_metrics`, /^line 1:8: identifiers must not start with a digit/],
    ['an empty quoted identifier', `SELECT "" FROM ${enriched}.stock_metrics`, /^line 1:8: Zero-length delimited identifier not allowed$/],
    ['two statements', `SELECT 1 FROM ${enriched}.stock_metrics; SELECT 2 FROM ${enriched}.stock_metrics`, /^expected exactly one statement; got 2$/],
  ])('%s is reported', (_what, sql, first) => {
    const { errors } = analyze(sql);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatch(first);
  });

  test('table references are found in joins, subqueries, CTE bodies and set operations', () => {
    const analysis = analyze(`WITH latest AS (SELECT max(date) AS date FROM ${enriched}.stock_metrics)
SELECT m.ticker FROM ${enriched}.stock_metrics m JOIN latest l ON m.date = l.date
WHERE EXISTS (SELECT 1 FROM "${enriched}"."FX_CROSS")
UNION ALL SELECT ticker FROM AwsDataCatalog.${glueDatabaseName(scope, 'finance', 'conformed')}.daily_prices`);
    expect(analysis.errors).toEqual([]);
    expect(analysis.tables.map((table) => table.parts.join('.')).sort()).toEqual([
      `awsdatacatalog.${glueDatabaseName(scope, 'finance', 'conformed')}.daily_prices`,
      `${enriched}.fx_cross`, `${enriched}.stock_metrics`, `${enriched}.stock_metrics`, 'latest',
    ].sort());
    expect([...analysis.cteNames]).toEqual(['latest']);
    expect(tableProblems(analysis, finance, scope)).toEqual([]);
  });

  test('an undeclared table, a table in the wrong layer, another LoB\'s, environment\'s or catalog\'s, and an unqualified one are reported', () => {
    const other = (lob: string, environment: string, layer: DataLayer) => glueDatabaseName({ organisation: scope.organisation, environment }, lob, layer);
    const sql = `SELECT 1 FROM ${enriched}.no_such_table
CROSS JOIN ${other('finance', 'dev', 'conformed')}.stock_metrics
CROSS JOIN ${other('finance', 'dev', 'standardized')}.stock_prices
CROSS JOIN ${other('marketing', 'dev', 'enriched')}.lead_counts_by_region
CROSS JOIN ${other('finance', 'prod', 'enriched')}.stock_metrics
CROSS JOIN hive.${enriched}.stock_metrics
CROSS JOIN stock_metrics`;
    const problems = tableProblems(analyze(sql), finance, scope);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^line 1:15: ${enriched}\\.no_such_table is not a declared enriched table of finance \\(declared: .*stock_metrics`)),
      expect.stringMatching(/^line 2:12: .*_conformed\.stock_metrics is not a declared conformed table of finance/),
      expect.stringMatching(new RegExp(`^line 4:12: ${other('marketing', 'dev', 'enriched')}\\.lead_counts_by_region is not in a layer database of finance in dev`)),
      expect.stringMatching(new RegExp(`^line 5:12: ${other('finance', 'prod', 'enriched')}\\.stock_metrics is not in a layer database of finance in dev`)),
      `line 6:12: hive.${enriched}.stock_metrics is in catalog hive; the lake's tables are in AwsDataCatalog`,
      'line 7:12: stock_metrics is not qualified; write {{layer}}.stock_metrics',
    ]);
  });
});

/**
 * The parts of a dataset's config that say how its files spell values (contract/csv-dialect.ts):
 * CSV dialect, column source mapping, date and timestamp formats, time zone, decimal rounding
 * and schema drift. Kept apart from lob-schema.ts, which spreads these fields into its column and
 * dataset objects and calls the checks below from its refinements.
 */
import { z } from 'zod';
import type { ColumnType } from '../../contract/column-types';
import { CSV_DELIMITERS, DECIMAL_ROUNDING, EXTRA_COLUMN_POLICIES, MISSING_COLUMN_POLICIES } from '../../contract/csv-dialect';
import { formatProblem, timeZoneProblem } from '../../contract/date-patterns';

type Issues = z.RefinementCtx;

const oneCharacter = (what: string) => z.string().length(1, { error: (issue) => `expected ${what} as one character; got ${JSON.stringify(issue.input)}` });
const tokens = (what: string) => z.array(z.string().min(1, { error: `expected a non-empty ${what}` })).min(1);

export const columnDialectFields = {
  decimalRounding: z.enum(DECIMAL_ROUNDING).optional().meta({
    description: 'Decimal columns: a value with more fraction digits than the scale is rejected (quarantined; default) or round (half-even to the scale, counted in the RoundedValues metric).',
  }),
  format: z.string().min(1).optional().meta({
    description: 'Date and timestamp columns: iso (default), epoch_seconds, epoch_millis (timestamps) or a pattern such as MM/dd/yyyy, MMM d yyyy, yyyy/MM/dd HH:mm:ss (docs/datasets.md).',
  }),
  source: z.string().min(1).optional().meta({ description: 'CSV with a header: the header text of this column in the file (e.g. "Cost Total $"); Parquet: the file\'s column name; when it is not the column name.' }),
  position: z.number().int().min(1).optional().meta({ description: 'CSV without a header (csv.header: false): the field of this column, counted from 1.' }),
};

interface ColumnDialect {
  readonly type: string;
  readonly decimalRounding?: string;
  readonly format?: string;
  readonly source?: string;
  readonly position?: number;
}

export function columnDialectIssues(column: ColumnDialect, type: ColumnType, ctx: Issues): void {
  if (column.decimalRounding !== undefined && type.kind !== 'decimal') {
    ctx.addIssue({ code: 'custom', path: ['decimalRounding'], message: `only valid for decimal columns; this column is ${column.type}` });
  }
  if (column.format !== undefined) {
    const problem = formatProblem(column.format, type.kind);
    if (problem) ctx.addIssue({ code: 'custom', path: ['format'], message: problem });
  }
  if (column.source !== undefined && column.position !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['position'], message: 'expected source (a header text) or position (a field number), not both' });
  }
}

const csvSchema = z.strictObject({
  delimiter: z.enum(Object.keys(CSV_DELIMITERS) as [keyof typeof CSV_DELIMITERS]).optional()
    .meta({ description: 'The field delimiter: comma (default), tab, semicolon or pipe.' }),
  quote: oneCharacter('the quote').optional().meta({ description: 'The character that quotes fields. Default ".' }),
  escape: oneCharacter('the escape').optional()
    .meta({ description: 'How a quote is written inside a quoted field: the quote character itself, doubled (default, RFC 4180), or \\ before it.' }),
  header: z.boolean().optional().meta({ description: 'Whether the first line names the columns. Default true. Without a header every column needs a position.' }),
  nullValues: tokens('null token').optional().meta({ description: 'Field texts read as null, e.g. [NA, n/a, "null"]. The empty field is always null.' }),
  trueValues: tokens('true spelling').optional().meta({ description: 'Spellings of true for boolean columns (case-insensitive). Default [true, "1"].' }),
  falseValues: tokens('false spelling').optional().meta({ description: 'Spellings of false for boolean columns (case-insensitive). Default [false, "0"].' }),
});

const driftSchema = z.strictObject({
  extraColumns: z.enum(EXTRA_COLUMN_POLICIES).optional()
    .meta({ description: 'Header (or Parquet) columns the schema does not name: ignore (default; counted in the DriftColumns metric and alarmed) or quarantine the file\'s records.' }),
  missingColumns: z.enum(MISSING_COLUMN_POLICIES).optional()
    .meta({ description: 'Schema columns the header (or Parquet file) lacks: null_if_nullable (default; a non-nullable one quarantines the file\'s records) or quarantine.' }),
});

export const datasetDialectFields = {
  timeZone: z.string().optional().meta({ description: 'IANA time zone of timestamps that name no offset (stored as UTC). Default UTC.' }),
  csv: csvSchema.optional().meta({ description: 'For format csv: delimiter, quoting, header and value spellings (docs/datasets.md).' }),
  drift: driftSchema.optional().meta({ description: 'For format csv and parquet: what happens when a file\'s header (Parquet: its columns) differs from the schema.' }),
};

interface DatasetDialect {
  readonly format: string;
  readonly timeZone?: string;
  readonly csv?: z.infer<typeof csvSchema>;
  readonly drift?: z.infer<typeof driftSchema>;
  readonly schema: readonly ColumnDialect[];
}

export function datasetDialectIssues(dataset: DatasetDialect, ctx: Issues): void {
  const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (dataset.timeZone !== undefined) {
    const zone = timeZoneProblem(dataset.timeZone);
    if (zone) problem(['timeZone'], zone);
  }
  if (dataset.format === 'parquet') {
    // A Parquet file names its columns, types its values and compresses its own pages: nothing of a CSV dialect applies.
    if (dataset.csv) problem(['csv'], 'only valid with format csv; this dataset\'s format is parquet, whose files name their columns and type their values');
    dataset.schema.forEach((column, index) => {
      if (column.position !== undefined) problem(['schema', index, 'position'], 'only valid with format csv; this dataset\'s format is parquet, whose columns map by name or source');
    });
    return;
  }
  if (dataset.format !== 'csv') {
    if (dataset.csv) problem(['csv'], `only valid with format csv; this dataset's format is ${dataset.format}`);
    if (dataset.drift) problem(['drift'], `only valid with format csv or parquet; this dataset's format is ${dataset.format}`);
    dataset.schema.forEach((column, index) => {
      if (column.source !== undefined) problem(['schema', index, 'source'], `only valid with format csv or parquet; this dataset's format is ${dataset.format}`);
      if (column.position !== undefined) problem(['schema', index, 'position'], `only valid with format csv; this dataset's format is ${dataset.format}`);
    });
    return;
  }
  const csv = dataset.csv ?? {};
  const delimiter = CSV_DELIMITERS[csv.delimiter ?? 'comma'];
  const quote = csv.quote ?? '"';
  const escape = csv.escape ?? quote;
  if ([',', '\t', ';', '|', '\r', '\n'].includes(quote) || quote === delimiter) problem(['csv', 'quote'], `expected a quote character other than a delimiter or line break; got ${JSON.stringify(quote)}`);
  if (escape !== quote && escape !== '\\') problem(['csv', 'escape'], `expected the quote character (${JSON.stringify(quote)}, doubled) or "\\\\"; got ${JSON.stringify(escape)}`);
  const overlap = (csv.trueValues ?? []).find((value) => (csv.falseValues ?? []).some((other) => other.toLowerCase() === value.toLowerCase()));
  if (overlap !== undefined) problem(['csv', 'falseValues'], `${JSON.stringify(overlap)} is also a true value`);
  if (csv.header === false) {
    const seen = new Map<number, number>();
    dataset.schema.forEach((column, index) => {
      if (column.source !== undefined) problem(['schema', index, 'source'], 'a file without a header (csv.header: false) maps columns by position, not source');
      if (column.position === undefined) problem(['schema', index, 'position'], 'expected the field number (from 1) of this column: csv.header is false');
      else if (seen.has(column.position)) problem(['schema', index, 'position'], `position ${column.position} is also column ${seen.get(column.position)}'s`);
      else seen.set(column.position, index);
    });
  } else {
    dataset.schema.forEach((column, index) => {
      if (column.position !== undefined) problem(['schema', index, 'position'], 'only valid with csv.header: false; a file with a header maps columns by name or source');
    });
  }
}

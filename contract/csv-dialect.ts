/**
 * How a dataset's files spell their values, as deploy and runtime share it: the CSV dialect,
 * per-column source mapping, date and timestamp formats, decimal rounding and schema drift
 * (docs/datasets.md, "CSV dialects and formats"). lib/config/lob-schema.ts validates them at synth.
 */

export const DECIMAL_ROUNDING = ['reject', 'round'] as const;
export type DecimalRounding = (typeof DECIMAL_ROUNDING)[number];

/** Single characters the CSV tokenizer accepts as a delimiter; named so YAML needs no escapes. */
export const CSV_DELIMITERS = { comma: ',', tab: '\t', semicolon: ';', pipe: '|' } as const;
export type CsvDelimiterName = keyof typeof CSV_DELIMITERS;

export interface DatasetCsvDialect {
  readonly delimiter?: CsvDelimiterName;
  /** The character that quotes a field. Default `"`. */
  readonly quote?: string;
  /** The character that escapes a quote inside a quoted field: the quote itself (doubled, RFC 4180) or `\`. */
  readonly escape?: string;
  /** Whether the first line names the columns. Default true; false maps columns by `position`. */
  readonly header?: boolean;
  /** Field texts read as null in every column (the empty field always is). */
  readonly nullValues?: readonly string[];
  /** Spellings of booleans, compared case-insensitively. Default true/1 and false/0. */
  readonly trueValues?: readonly string[];
  readonly falseValues?: readonly string[];
}

export const EXTRA_COLUMN_POLICIES = ['ignore', 'quarantine'] as const;
export const MISSING_COLUMN_POLICIES = ['null_if_nullable', 'quarantine'] as const;

/** What happens when a file's columns differ from the schema's. */
export interface DatasetDrift {
  /** Source columns the schema does not name: ignored (counted and reported) or the file's records quarantined. */
  readonly extraColumns?: (typeof EXTRA_COLUMN_POLICIES)[number];
  /** Schema columns the source lacks: null when the column is nullable (else quarantined), or always quarantined. */
  readonly missingColumns?: (typeof MISSING_COLUMN_POLICIES)[number];
}

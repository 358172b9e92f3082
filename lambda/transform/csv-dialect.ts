/**
 * How a CSV object's fields map to the dataset's columns, worked out once per object from its
 * header (or, without a header, from the columns' positions), with the dataset's drift policy
 * applied: which field each column reads, which columns the file lacks or adds, and whether the
 * object can be read at all. An object that cannot (a wrong delimiter, a required column missing)
 * is refused as a whole with one reason saying what was expected and what was found, so its
 * records are quarantined rather than written misaligned.
 */
import { CSV_DELIMITERS, type CsvDelimiterName } from '../../contract/csv-dialect';
import { SCANNED_KINDS } from './column-writers';
import { matchColumns, quotedList as list, wantedNames } from './column-matching';
import type { CompiledDataset } from './compiled-dataset';

export interface CsvLayout {
  /** Column index -> field index; -1 where the file lacks the column (read as null). */
  readonly positions: Int32Array;
  /** Fields every record must have: the header's count, or without a header the highest position. */
  readonly width: number;
  /** Whether records must have exactly `width` fields (with a header) or at least (without). */
  readonly exactWidth: boolean;
  /** Per field: whether it is a numeric column's, read as a number while tokenizing (scanned-numbers.ts). */
  readonly numericFields: readonly boolean[];
  /** Header texts the schema does not name (drift, ignored). */
  readonly extraColumns: readonly string[];
  /** Schema columns the header lacks, read as null (drift). */
  readonly missingColumns: readonly string[];
  /** Why the object's records cannot be read; every record is quarantined with it. */
  readonly problem?: string;
}

/** The tokenizer's characters for the dataset's dialect, as char codes. */
export interface CsvCharacters {
  readonly delimiter: number;
  readonly quote: number;
  /** The quote itself (a doubled quote is one quote) or a backslash. */
  readonly escape: number;
}

export function csvCharacters(dataset: CompiledDataset): CsvCharacters {
  const csv = dataset.config.csv ?? {};
  const quote = (csv.quote ?? '"').charCodeAt(0);
  return { delimiter: CSV_DELIMITERS[csv.delimiter ?? 'comma'].charCodeAt(0), quote, escape: csv.escape === undefined ? quote : csv.escape.charCodeAt(0) };
}

const delimiterName = (dataset: CompiledDataset): CsvDelimiterName => dataset.config.csv?.delimiter ?? 'comma';

function numericFieldsOf(dataset: CompiledDataset, positions: Int32Array, width: number): boolean[] {
  const numeric = new Array<boolean>(width).fill(false);
  positions.forEach((field, column) => {
    // Not partition columns: their text names the partition.
    if (field >= 0 && SCANNED_KINDS.has(dataset.columns[column].kind) && !dataset.partitionIndexes.includes(column)) numeric[field] = true;
  });
  return numeric;
}

/** The layout of a file without a header: each column at its configured position. */
export function positionalLayout(dataset: CompiledDataset, firstRecordWidth: number): CsvLayout {
  const positions = Int32Array.from(dataset.config.schema, (column) => (column.position ?? 0) - 1);
  const width = Math.max(...positions) + 1;
  const problem = firstRecordWidth === 1 && width > 1
    ? `found 1 field in the first line, expected at least ${width} separated by the ${delimiterName(dataset)} delimiter (csv.delimiter)`
    : undefined;
  return { positions, width, exactWidth: false, numericFields: numericFieldsOf(dataset, positions, width), extraColumns: [], missingColumns: [], problem };
}

/** The layout of a file whose first line is `header`, by each column's source text or name. */
export function headerLayout(dataset: CompiledDataset, header: readonly string[]): CsvLayout {
  const names = header.map((name) => name.trim());
  const found = `found the header ${list(names.length > 20 ? [...names.slice(0, 20), '…'] : names)}`;
  const match = matchColumns(dataset, names, { found, mapHint: 'map a column to its header text with source' });
  const { positions, extraColumns, missingColumns } = match;
  const layout = (problem?: string): CsvLayout => ({
    positions, width: names.length, exactWidth: true, numericFields: numericFieldsOf(dataset, positions, names.length), extraColumns, missingColumns, problem,
  });
  if (names.length === 1 && dataset.config.schema.length > 1 && missingColumns.length > 0) {
    return layout(`${found}: one field, so the fields are not separated by the ${delimiterName(dataset)} delimiter (csv.delimiter); expected the columns ${list(wantedNames(dataset))}`);
  }
  return layout(match.problem);
}

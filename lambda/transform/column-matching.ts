/**
 * How the named columns of one object (a CSV header, a Parquet file's schema) map to the dataset's
 * columns, by each column's `source` or else its name, with the dataset's drift policy applied:
 * which of the object's columns each schema column reads, which columns the object adds or lacks,
 * and whether its records can be read at all. An object that cannot (a required column missing,
 * or drift the policy quarantines) is refused as a whole with one reason saying what was expected
 * and what was found.
 */
import type { CompiledDataset } from './compiled-dataset';

export interface ColumnMatch {
  /** Column index -> index among the object's columns; -1 where the object lacks the column (read as null). */
  readonly positions: Int32Array;
  /** The object's columns that the schema does not name (drift, ignored). */
  readonly extraColumns: readonly string[];
  /** Schema columns the object lacks, read as null (drift). */
  readonly missingColumns: readonly string[];
  /** Why the object's records cannot be read; every record is quarantined with it. */
  readonly problem?: string;
}

/** How a refusal names what was found and how to map a column, in the object's own terms. */
export interface MatchWording {
  /** What was found, e.g. `found the header "a", "b"`. */
  readonly found: string;
  /** How to map a column to the object's name for it, e.g. `map a column to its header text with source`. */
  readonly mapHint: string;
}

export const quotedList = (names: readonly string[]) => names.map((name) => JSON.stringify(name)).join(', ');

/** The schema's name for each column in the object: its source, or its name. */
export const wantedNames = (dataset: CompiledDataset) => dataset.config.schema.map((column) => column.source ?? column.name);

export function matchColumns(dataset: CompiledDataset, names: readonly string[], wording: MatchWording): ColumnMatch {
  const drift = dataset.config.drift ?? {};
  const schema = dataset.config.schema;
  const wanted = wantedNames(dataset);
  const positions = Int32Array.from(wanted, (name) => names.indexOf(name));
  const extraColumns = names.filter((name) => !wanted.includes(name));
  const missing = schema.filter((_, index) => positions[index] < 0);
  const match = (problem?: string): ColumnMatch => ({ positions, extraColumns, missingColumns: missing.map((column) => column.name), problem });
  const describeMissing = (columns: typeof missing) => quotedList(columns.map((column) => column.source ?? column.name));
  const { found } = wording;
  if (missing.length > 0 && drift.missingColumns === 'quarantine') {
    return match(`${found}, which lacks ${describeMissing(missing)} (drift.missingColumns: quarantine)`);
  }
  const required = missing.filter((column) => !column.nullable);
  if (required.length > 0) {
    return match(`${found}, which lacks the non-nullable ${required.length === 1 ? 'column' : 'columns'} ${describeMissing(required)} (${wording.mapHint})`);
  }
  if (extraColumns.length > 0 && drift.extraColumns === 'quarantine') {
    return match(`${found}, which has ${quotedList(extraColumns)} that the schema does not name (drift.extraColumns: quarantine)`);
  }
  return match();
}

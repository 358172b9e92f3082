/**
 * Where a JSON dataset's records are in a document and where each column's value is in a record:
 * what the transform's JSON reader (lambda/transform/json-shapes.ts) follows and the config schema
 * validates. Paths are lists of keys, not dotted strings, because real keys hold dots and spaces
 * (`"1. open"`, `"Time Series (Daily)"`).
 */

/**
 * One step of a record path: a string is a literal object key; an object means every entry of an
 * object (or element of an array) at that level, and with `keyAs` the entry's key (or the
 * element's index) becomes that column.
 */
export type JsonPathStep = string | { readonly keyAs?: string };

export interface DatasetJsonShape {
  /**
   * For format `json`: the path from the document's root to each record. `[{}]` reads a document
   * that is one array of objects; `["Time Series (Daily)", {keyAs: date}]` reads the entries of
   * that object, each entry's key becoming column `date`.
   */
  readonly recordPath?: readonly JsonPathStep[];
  /** Column name to the path of its value inside a record. Default: the column's own name. */
  readonly fields?: Readonly<Record<string, readonly string[]>>;
  /**
   * Column name to the path of its value from the document's root, outside the records (such as
   * `["Meta Data", "2. Symbol"]`). The value must appear before the records in the document,
   * since the document is read as a stream and never held whole.
   */
  readonly documentFields?: Readonly<Record<string, readonly string[]>>;
}

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isKeyPath = (value: Json): value is string[] => Array.isArray(value) && value.length > 0 && value.every((key) => typeof key === 'string');

/** Columns a shape names (keyAs, fields, documentFields), to be checked against the schema. */
export function jsonShapeColumns(shape: DatasetJsonShape): string[] {
  const keyColumns = (shape.recordPath ?? []).flatMap((step) => (typeof step === 'object' && step.keyAs !== undefined ? [step.keyAs] : []));
  return [...keyColumns, ...Object.keys(shape.fields ?? {}), ...Object.keys(shape.documentFields ?? {})];
}

/** What keeps `value` from being a DatasetJsonShape, or undefined when it is one. */
export function jsonShapeProblem(value: Json): string | undefined {
  if (!isObject(value)) return 'json is not an object';
  if (value.recordPath !== undefined) {
    if (!Array.isArray(value.recordPath)) return 'json.recordPath is not a list';
    const bad = value.recordPath.find((step) => typeof step !== 'string' && !(isObject(step) && (step.keyAs === undefined || typeof step.keyAs === 'string')));
    if (bad !== undefined) return `json.recordPath has a step that is neither a key nor {keyAs}: ${JSON.stringify(bad)}`;
  }
  for (const field of ['fields', 'documentFields'] as const) {
    const paths = value[field];
    if (paths === undefined) continue;
    if (!isObject(paths) || !Object.values(paths).every(isKeyPath)) return `json.${field} does not map columns to lists of keys`;
  }
  return undefined;
}

/** A record path step as a selector segment: the reader's parser splits selectors at dots, so a key holding one matches by wildcard and is compared in full afterwards. */
const selectorSegment = (step: JsonPathStep) => (typeof step === 'string' && !step.includes('.') && step !== '*' ? step : '*');

/** Selectors (`$.a.*`) of the values the reader is handed: each record, and each document field. */
export function jsonSelectors(shape: DatasetJsonShape): { records: string; documentFields: Record<string, string> } {
  const selector = (steps: readonly JsonPathStep[]) => ['$', ...steps.map(selectorSegment)].join('.');
  return {
    records: selector(shape.recordPath ?? []),
    documentFields: Object.fromEntries(Object.entries(shape.documentFields ?? {}).map(([column, path]) => [column, selector(path)])),
  };
}

/**
 * The document field whose selector also matches an object enclosing the records, or undefined.
 * The parser keeps every value inside a selected one, so such a field would hold all the records
 * in memory: refused, since the document must be read in bounded memory.
 */
export function documentFieldEnclosingRecords(shape: DatasetJsonShape): string | undefined {
  const records = jsonSelectors(shape).records.split('.');
  for (const [column, selector] of Object.entries(jsonSelectors(shape).documentFields)) {
    const segments = selector.split('.');
    if (segments.length >= records.length) continue;
    if (segments.every((segment, index) => segment === '*' || records[index] === '*' || segment === records[index])) return column;
  }
  return undefined;
}

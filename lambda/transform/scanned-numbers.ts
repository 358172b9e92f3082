/**
 * Numbers read in the same pass that splits a CSV record into fields.
 *
 * Converting a decimal field after tokenizing reads every character a second time, and on
 * number-heavy files that second pass is a large share of the transform's work. The tokenizer
 * already looks at each character to find the delimiter; for the fields of numeric columns it
 * also accumulates the digits as it goes (see CsvTokenizer.scanNumbers), and the column writers
 * take the number from here instead of parsing the field's text again.
 *
 * Only the plain form is scanned: an optional '-', digits, at most one '.', at least one digit,
 * at most 15 digits in all (so the integer of all digits is exact as a double). Anything else
 * (a '+', spaces, an exponent, more digits, a quoted field) is recorded as not scanned, and the
 * column writer parses the text, which accepts or explains it. The scanned form never
 * decides whether a value is valid; it only spares reading it twice when it plainly is.
 *
 * A field that reads as a number is not cut out of the text either (the tokenizer passes it as
 * undefined): the writer of a valid value only needs the number, and the paths that need the
 * text (a value the writer must parse after all, a record that goes to quarantine) take it from
 * fieldText or withText, while the record is handled.
 */
import { unquotedFieldEnd } from './csv-delimiters';

export class ScannedNumbers {
  /**
   * Per field position: the field's digits as one signed integer, the point ignored
   * ("-12.50" -> -1250; never -0), or NaN when the field was not scanned or not in plain form.
   */
  public digits: Float64Array;
  /** Per field position: how many digits follow the point ("12.50" -> 2), or -1 when there is no point. */
  public fractionDigits: Int32Array;

  /** Per field position: where the field starts in `text`. */
  public starts: Int32Array;
  /** The text the current record is in. */
  public text = '';

  /** `delimiter`: the char code that ends an unquoted field (csv-dialect.ts). */
  constructor(fields: number, private readonly delimiter: number) {
    this.digits = new Float64Array(fields).fill(NaN);
    this.fractionDigits = new Int32Array(fields).fill(-1);
    this.starts = new Int32Array(fields);
  }

  /** The text of the current record's field at `field`, which was scanned: up to the delimiter (it was not quoted). */
  public fieldText(field: number): string {
    const start = this.starts[field];
    return this.text.slice(start, unquotedFieldEnd(this.text, start, this.delimiter));
  }

  /** A copy of the current record's `fields` with the text of every field read as a number in place of its undefined. */
  public withText(fields: readonly unknown[]): unknown[] {
    return fields.map((value, field) => (value === undefined && field < this.starts.length ? this.fieldText(field) : value));
  }
}

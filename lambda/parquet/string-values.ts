/**
 * The values of a string column, encoded as they arrive rather than kept as strings until the
 * file is written: kept strings survive garbage collections and are copied by each, then walked
 * again to encode them. Two forms, decided on the fly:
 *
 * - dictionary: distinct values and one index per value, while the distinct values stay few
 *   (below MAX_DICTIONARY_ENTRIES, and at most half the values once there are enough values to
 *   tell); written as a dictionary page and bit-packed indices;
 * - plain: each value's UTF-8 bytes with a 4-byte length, as PLAIN pages hold them, once the
 *   dictionary stops paying off (the values seen so far are re-encoded then, once).
 *
 * Min and max are not kept here: the encoder finds them in the encoded bytes (parquet-file.ts),
 * in the byte order Parquet defines for strings. Kept per value, they cost a comparison or two of
 * JavaScript strings and bookkeeping for taking a value back, on every row.
 */

const MAX_DICTIONARY_ENTRIES = 65_535;
const MAX_DICTIONARY_RATIO = 0.5;
/** Values seen before the ratio is judged: the first values of any column are mostly distinct. */
const DICTIONARY_TRIAL_VALUES = 1024;

export class StringValues {
  /** Dictionary form: index of each value's entry, and the entries. */
  public dictionary: Map<string, number> | undefined = new Map();
  public entries: string[] = [];
  public indices = new Int32Array(16);
  /** Plain form: the encoded values, `byteLength` of `bytes` used. */
  public bytes = new Uint8Array(0);
  public byteLength = 0;
  public count = 0;
  /** What the last add changed, so that a rejected row can take it back: whether it added a dictionary entry, where its bytes start. */
  private lastNewEntry = false;
  private lastByteStart = 0;

  /**
   * Whether the dictionary was given up on enough values to judge (the trial's 1,024, or too many
   * entries), rather than on a small column at encoding time.
   */
  public outgrewDictionary = false;

  /** Skips the dictionary trial: the values are encoded plain from the first. Only while empty. */
  public startPlain(): void {
    if (this.count !== 0) throw new Error('startPlain is only for an empty column');
    this.dictionary = undefined;
    this.entries = [];
  }

  /** Empties the values, keeping the arrays' capacity (and trying a dictionary again). */
  public clear(): void {
    this.outgrewDictionary = false;
    this.dictionary = new Map();
    this.entries = [];
    this.count = 0;
    this.byteLength = 0;
  }

  public add(value: string): void {
    const dictionary = this.dictionary;
    if (dictionary !== undefined) {
      let index = dictionary.get(value);
      this.lastNewEntry = index === undefined;
      if (index === undefined) {
        index = this.entries.length;
        if (index >= MAX_DICTIONARY_ENTRIES || (this.count >= DICTIONARY_TRIAL_VALUES && index >= (this.count + 1) * MAX_DICTIONARY_RATIO)) {
          this.outgrewDictionary = true;
          this.toPlain();
          this.add(value);
          return;
        }
        dictionary.set(value, index);
        this.entries.push(value);
      }
      if (this.count === this.indices.length) {
        const grown = new Int32Array(Math.max(16, this.count * 2));
        grown.set(this.indices);
        this.indices = grown;
      }
      this.indices[this.count++] = index;
      return;
    }
    this.lastByteStart = this.byteLength;
    this.appendPlain(value);
    this.count++;
  }

  /**
   * Whether to write the dictionary form: true while it holds at most half as many entries as
   * values (a small column may not have reached the trial size); else switches to plain.
   */
  public keepsDictionary(): boolean {
    if (this.dictionary === undefined) return false;
    if (this.count > 0 && this.entries.length <= Math.max(1, Math.floor(this.count * MAX_DICTIONARY_RATIO))) return true;
    this.toPlain();
    return false;
  }

  /** Takes back the last value added. */
  public removeLast(): void {
    this.count--;
    if (this.dictionary !== undefined) {
      if (this.lastNewEntry) this.dictionary.delete(this.entries.pop()!);
      return;
    }
    this.byteLength = this.lastByteStart;
  }

  /** Switches to the plain form, encoding the values added so far. */
  private toPlain(): void {
    const { entries, indices, count } = this;
    this.dictionary = undefined;
    this.count = 0;
    for (let i = 0; i < count; i++) this.add(entries[indices[i]]);
    this.entries = [];
  }

  private appendPlain(value: string): void {
    const length = value.length;
    // At most 3 UTF-8 bytes per UTF-16 unit.
    if (this.byteLength + 4 + length * 3 > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.byteLength + 4 + length * 3, 1024));
      grown.set(this.bytes.subarray(0, this.byteLength));
      this.bytes = grown;
    }
    const bytes = this.bytes;
    const start = this.byteLength + 4;
    let end = start;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        // Not ASCII: let Buffer encode it (handles surrogate pairs, lone surrogates as U+FFFD).
        end = start + Buffer.from(bytes.buffer, bytes.byteOffset).write(value, start, 'utf8');
        break;
      }
      bytes[end++] = code;
    }
    const written = end - start;
    bytes[start - 4] = written & 0xff;
    bytes[start - 3] = (written >>> 8) & 0xff;
    bytes[start - 2] = (written >>> 16) & 0xff;
    bytes[start - 1] = written >>> 24;
    this.byteLength = end;
  }
}

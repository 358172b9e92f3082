/**
 * A writer for the Thrift compact protocol, just enough of it for Parquet's metadata structures
 * (FileMetaData, PageHeader): integers, binaries, booleans, lists and nested structs.
 *
 * Fields are written in the order given; each struct is written by a callback so nesting reads
 * like the Thrift IDL it encodes.
 */

const enum CompactType {
  BooleanTrue = 1,
  BooleanFalse = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Binary = 8,
  List = 9,
  Struct = 12,
}

export class ThriftWriter {
  private buffer = Buffer.allocUnsafe(1024);
  private length = 0;
  private lastFieldId: number[] = [0];

  public toBuffer(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  private byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  private varint(value: number): void {
    // Unsigned LEB128 on a non-negative safe integer.
    while (value >= 0x80) {
      this.byte((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.byte(value);
  }

  private zigzag(value: number): void {
    this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  private fieldHeader(id: number, type: CompactType): void {
    const last = this.lastFieldId[this.lastFieldId.length - 1];
    const delta = id - last;
    if (delta > 0 && delta <= 15) {
      this.byte((delta << 4) | type);
    } else {
      this.byte(type);
      this.zigzag(id);
    }
    this.lastFieldId[this.lastFieldId.length - 1] = id;
  }

  public i32(id: number, value: number): this {
    this.fieldHeader(id, CompactType.I32);
    this.zigzag(value);
    return this;
  }

  /** i64 fields hold sizes, offsets and counts: non-negative and below 2^53 here. */
  public i64(id: number, value: number): this {
    this.fieldHeader(id, CompactType.I64);
    this.zigzag(value);
    return this;
  }

  public i8(id: number, value: number): this {
    this.fieldHeader(id, CompactType.Byte);
    this.byte(value & 0xff);
    return this;
  }

  public bool(id: number, value: boolean): this {
    this.fieldHeader(id, value ? CompactType.BooleanTrue : CompactType.BooleanFalse);
    return this;
  }

  public binary(id: number, value: Uint8Array | string): this {
    this.fieldHeader(id, CompactType.Binary);
    this.rawBinary(value);
    return this;
  }

  private rawBinary(value: Uint8Array | string): void {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  public struct(id: number, write: (writer: this) => void): this {
    this.fieldHeader(id, CompactType.Struct);
    this.structBody(write);
    return this;
  }

  private structBody(write: (writer: this) => void): void {
    this.lastFieldId.push(0);
    write(this);
    this.byte(0); // STOP
    this.lastFieldId.pop();
  }

  private listHeader(size: number, type: CompactType): void {
    if (size < 15) {
      this.byte((size << 4) | type);
    } else {
      this.byte(0xf0 | type);
      this.varint(size);
    }
  }

  public listOfI32(id: number, values: readonly number[]): this {
    this.fieldHeader(id, CompactType.List);
    this.listHeader(values.length, CompactType.I32);
    for (const value of values) this.zigzag(value);
    return this;
  }

  public listOfBinary(id: number, values: readonly string[]): this {
    this.fieldHeader(id, CompactType.List);
    this.listHeader(values.length, CompactType.Binary);
    for (const value of values) this.rawBinary(value);
    return this;
  }

  public listOfStructs<T>(id: number, items: readonly T[], write: (writer: this, item: T) => void): this {
    this.fieldHeader(id, CompactType.List);
    this.listHeader(items.length, CompactType.Struct);
    for (const item of items) this.structBody((writer) => write(writer, item));
    return this;
  }

  /** A top-level struct (FileMetaData, PageHeader): its fields, then STOP. */
  public static struct(write: (writer: ThriftWriter) => void): Buffer {
    const writer = new ThriftWriter();
    write(writer);
    writer.byte(0);
    return writer.toBuffer();
  }
}

/**
 * Buffers valid rows per partition and writes them as Parquet files, keeping memory bounded:
 * whenever the rows buffered across all partitions reach `rowGroupRows`, the largest partition
 * buffers are written out, one file (one row group) each, until at most half that many rows remain
 * buffered. A 10 GB object therefore needs no more memory than a 10 MB one, and an object of
 * thousands of partitions no more than one of a few: the files wait for upload slots
 * (upload-pool.ts) rather than all being sent at once, and the reader waits for them to start.
 *
 * File keys are a deterministic function of the source object and the order of its rows:
 * `<dataset>/<col>=<value>/…/part-<sourceId>-<n>.parquet`, so a retried or replayed object
 * overwrites its own output instead of adding to it.
 */
import { type PartitionGranularity, derivedPartitionValue } from '../../contract/partitioning';
import { ROW_GROUP_SIZE } from '../../contract/transform-settings';
import { ColumnBuffer, type ColumnValue } from '../parquet/column-buffer';
import { encodeParquetFile, type ParquetFileOptions } from '../parquet/parquet-file';
import type { ColumnWriter } from './column-writers';
import type { CompiledDataset } from './compiled-dataset';
import type { ScannedNumbers } from './scanned-numbers';
import { Rejected } from './values';

export interface OutputFile {
  readonly key: string;
  readonly body: Buffer;
  readonly rows: number;
}

/**
 * Rows per row group and upper bound of rows held in memory (the config's default, from the
 * contract). 100k rows of a typical table make row groups of a few MB compressed: large enough
 * for Athena to scan efficiently, small enough for a 1 GB Lambda.
 */
export const DEFAULT_ROW_GROUP_ROWS: number = ROW_GROUP_SIZE.default;

const DAY_MS = 86_400_000;

/**
 * Hive-style partition value: escaped like Hive does, so any value makes a valid, reversible key.
 * A date or timestamp at a coarser granularity is the leading part of its ISO date (UTC).
 */
export function partitionValue(value: ColumnValue, kind: string, granularity?: PartitionGranularity): string {
  let text: string;
  if (granularity !== undefined) {
    const millis = kind === 'date' ? (value as number) * DAY_MS : Math.floor((value as number) / 1000);
    text = derivedPartitionValue(new Date(millis).toISOString(), granularity);
  } else text = kind === 'date' ? new Date((value as number) * DAY_MS).toISOString().slice(0, 10) : String(value);
  return text.replace(/[^A-Za-z0-9_.\- ]/g, (character) =>
    [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

/** Buffers start small: an object may touch thousands of partitions with a few rows each. */
const INITIAL_PARTITION_CAPACITY = 16;

class PartitionBuffer {
  public rows = 0;
  constructor(public readonly prefix: string, public readonly columns: ColumnBuffer[]) {}
}

/**
 * Column buffers of written partitions kept for new ones: their arrays have grown to a
 * partition's size already, and growing fresh ones again, copy by copy, costs as much as a
 * tenth of the conversion. They are kept per compiled dataset, so that the next objects of the
 * dataset a warm container transforms use them too, not only the rest of this object. Few are
 * kept, so that memory stays bounded by what was in use: at most this many partitions' buffers
 * per dataset, each no larger than the largest partition written.
 */
const MAX_RECYCLED_PARTITIONS = 8;
const recycledBuffers = new WeakMap<CompiledDataset, ColumnBuffer[][]>();

/** Remembers recent partition directory names: consecutive rows usually share a partition. */
const PARTITION_NAME_CACHE_LIMIT = 4096;

export class PartitionedParquetWriter {
  private readonly partitionNames = new Map<ColumnValue, string>();
  private readonly partitions = new Map<string, PartitionBuffer>();
  /** Files written per partition so far: the sequence number of the next file's key. */
  private readonly fileCounts = new Map<string, number>();
  private bufferedRows = 0;
  public writtenRows = 0;
  /**
   * The raw partition value of the last row appended and its buffer: consecutive rows nearly
   * always share a partition, so most rows skip converting it and looking the buffer up.
   */
  private lastPartitionRaw: unknown;
  private lastPartition: PartitionBuffer | undefined;
  /** Per data column (the order of a partition's buffers): its writer and its dataset column index. */
  private readonly writers: readonly ColumnWriter[];
  private readonly dataIndexes: Int32Array;
  private readonly recycled: ColumnBuffer[][];
  /**
   * Data columns (positions in a partition's buffers) whose strings outgrew the dictionary in a
   * partition written, after the trial's 1,024 values or more: their next partitions in this
   * object start plain, skipping the trial (a map lookup per value for its first 1,024 values),
   * since an object's columns keep their cardinality from one partition to the next.
   */
  private readonly plainStringColumns = new Set<number>();

  constructor(
    private readonly dataset: CompiledDataset,
    private readonly sourceId: string,
    private readonly write: (file: OutputFile) => Promise<void>,
    private readonly rowGroupRows: number = DEFAULT_ROW_GROUP_ROWS,
    private readonly fileOptions: ParquetFileOptions = {},
  ) {
    this.dataIndexes = Int32Array.from(dataset.dataIndexes);
    this.writers = dataset.dataIndexes.map((index) => dataset.writers[index]);
    let recycled = recycledBuffers.get(dataset);
    if (!recycled) recycledBuffers.set(dataset, (recycled = []));
    this.recycled = recycled;
  }

  /**
   * Converts one record (column i's raw value is `values[positions[i]]`, absent when -1; its
   * scanned number, if any, at the same position in `numbers`) and appends it to its partition's
   * buffers. False when any value is rejected: then nothing is appended, and the caller asks the
   * converters why.
   */
  public append(values: readonly unknown[], positions: ArrayLike<number>, numbers?: ScannedNumbers): boolean {
    const partition = this.partitionOf(values, positions);
    if (partition === undefined) return false;
    const { columns } = partition;
    const { writers, dataIndexes } = this;
    for (let i = 0; i < writers.length; i++) {
      const position = positions[dataIndexes[i]];
      if (writers[i].write(position < 0 ? undefined : values[position], columns[i], numbers, position) !== undefined) {
        for (let written = 0; written < i; written++) columns[written].removeLast();
        return false;
      }
    }
    partition.rows++;
    this.bufferedRows++;
    return true;
  }

  /**
   * Once `rowGroupRows` rows are buffered, writes the largest partitions until at most half that
   * many remain; returns the pending writes, or undefined when there is nothing to write yet.
   */
  public flushIfFull(): Promise<void> | undefined {
    if (this.bufferedRows < this.rowGroupRows) return undefined;
    // Encoded at once, so the buffered rows drop below the bound before the next record; the
    // files wait for upload slots (upload-pool.ts), which the returned promise waits on.
    const largestFirst = [...this.partitions.values()].sort((a, b) => b.rows - a.rows);
    const writes: Promise<void>[] = [];
    for (const candidate of largestFirst) {
      if (this.bufferedRows <= this.rowGroupRows / 2) break;
      writes.push(this.flush(candidate));
    }
    return Promise.all(writes).then(() => undefined);
  }

  /** The buffer of the record's partition, created when new; undefined when a partition value is rejected. */
  private partitionOf(values: readonly unknown[], positions: ArrayLike<number>): PartitionBuffer | undefined {
    const { dataset } = this;
    const partitionIndexes = dataset.partitionIndexes;
    if (partitionIndexes.length === 1 && this.lastPartition !== undefined) {
      const position = positions[partitionIndexes[0]];
      if ((position < 0 ? undefined : values[position]) === this.lastPartitionRaw) return this.lastPartition;
    }
    // Loops, not closures: a closure over this method's arguments makes V8 allocate a context for
    // them on every call, fast path included, and those contexts would be most of the garbage
    // the transform makes beyond what parsing alone makes (V8's sampling heap profiler shows them).
    const raws: unknown[] = [];
    for (const index of partitionIndexes) raws.push(positions[index] < 0 ? undefined : values[positions[index]]);
    const partitionValues: ColumnValue[] = [];
    for (let n = 0; n < partitionIndexes.length; n++) {
      const value = dataset.converters[partitionIndexes[n]](raws[n]);
      if (value instanceof Rejected) return undefined;
      partitionValues.push(value!);
    }
    let prefix: string;
    if (partitionIndexes.length === 0) prefix = `${dataset.name}/`;
    else if (partitionIndexes.length === 1) prefix = this.partitionName(0, partitionValues[0]);
    else {
      prefix = `${dataset.name}/`;
      for (let n = 0; n < partitionIndexes.length; n++) prefix += this.partitionName(n, partitionValues[n]).slice(dataset.name.length + 1);
    }
    const partition = this.partitions.get(prefix) ?? this.newPartition(prefix);
    if (partitionIndexes.length === 1) {
      this.lastPartitionRaw = raws[0];
      this.lastPartition = partition;
    }
    return partition;
  }

  private newPartition(prefix: string): PartitionBuffer {
    const { dataset } = this;
    const columns = this.recycled.pop()
      ?? dataset.dataIndexes.map((index) => new ColumnBuffer(dataset.columns[index], INITIAL_PARTITION_CAPACITY));
    for (const column of this.plainStringColumns) columns[column].strings!.startPlain();
    const partition = new PartitionBuffer(prefix, columns);
    this.partitions.set(prefix, partition);
    return partition;
  }

  /** The folder of the `key`th partition key's value. */
  private partitionName(key: number, value: ColumnValue): string {
    const cacheKey = this.dataset.partitionIndexes.length === 1 ? value : `${key}\u0000${String(value)}`;
    let name = this.partitionNames.get(cacheKey);
    if (name === undefined) {
      const { name: keyName, granularity } = this.dataset.partitionKeys[key];
      const column = this.dataset.columns[this.dataset.partitionIndexes[key]];
      name = `${this.dataset.name}/${keyName}=${partitionValue(value, column.kind, granularity)}/`;
      if (this.partitionNames.size >= PARTITION_NAME_CACHE_LIMIT) this.partitionNames.clear();
      this.partitionNames.set(cacheKey, name);
    }
    return name;
  }

  /** Encodes a partition's buffer as one file and releases it. */
  private flush(partition: PartitionBuffer): Promise<void> {
    const { rows, prefix } = partition;
    this.partitions.delete(prefix);
    if (this.lastPartition === partition) this.lastPartition = undefined;
    if (rows === 0) return Promise.resolve();
    const body = encodeParquetFile(partition.columns, this.fileOptions);
    partition.columns.forEach((column, index) => { if (column.strings?.outgrewDictionary) this.plainStringColumns.add(index); });
    const sequence = this.fileCounts.get(prefix) ?? 0;
    this.fileCounts.set(prefix, sequence + 1);
    const key = `${prefix}part-${this.sourceId}-${String(sequence).padStart(5, '0')}.parquet`;
    this.bufferedRows -= rows;
    this.writtenRows += rows;
    // The file holds copies of the values: the buffers can take a new partition's rows.
    if (this.recycled.length < MAX_RECYCLED_PARTITIONS) {
      for (const column of partition.columns) column.clear();
      this.recycled.push(partition.columns);
    }
    return this.write({ key, body, rows });
  }

  /** Writes every partition still buffered; call once, after the last row. */
  public async finish(): Promise<void> {
    for (const partition of [...this.partitions.values()]) await this.flush(partition);
  }
}

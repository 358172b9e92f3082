/**
 * Buffers valid rows per partition and writes them as Parquet files, keeping memory bounded:
 * whenever the rows buffered across all partitions reach `rowGroupRows`, the largest partition
 * buffer is written out as one file (one row group) and released. A 10 GB object therefore needs
 * no more memory than a 10 MB one.
 *
 * File keys are a deterministic function of the source object and the order of its rows:
 * `<dataset>/<col>=<value>/…/part-<sourceId>-<n>.parquet`, so a retried or replayed object
 * overwrites its own output instead of adding to it.
 */
import { ColumnBuffer, type ColumnValue } from '../parquet/column-buffer';
import { encodeParquetFile } from '../parquet/parquet-file';
import type { CompiledDataset } from './compiled-dataset';

export interface OutputFile {
  readonly key: string;
  readonly body: Buffer;
  readonly rows: number;
}

/**
 * Rows per row group and upper bound of rows held in memory. 100k rows of a typical table make
 * row groups of a few MB compressed: large enough for Athena to scan efficiently, small enough for
 * a 1 GB Lambda.
 */
export const DEFAULT_ROW_GROUP_ROWS = 100_000;

const DAY_MS = 86_400_000;

/** Hive-style partition value: escaped like Hive does, so any value makes a valid, reversible key. */
export function partitionValue(value: ColumnValue, kind: string): string {
  const text = kind === 'date' ? new Date((value as number) * DAY_MS).toISOString().slice(0, 10) : String(value);
  return text.replace(/[^A-Za-z0-9_.\- ]/g, (character) =>
    [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

class PartitionBuffer {
  public readonly columns: ColumnBuffer[];
  public files = 0;
  constructor(public readonly prefix: string, dataset: CompiledDataset) {
    this.columns = dataset.dataIndexes.map((index) => new ColumnBuffer(dataset.columns[index], 256));
  }
  public get rows(): number {
    return this.columns[0]?.rowCount ?? 0;
  }
  public reset(dataset: CompiledDataset): void {
    this.columns.splice(0, this.columns.length, ...dataset.dataIndexes.map((index) => new ColumnBuffer(dataset.columns[index], 256)));
  }
}

export class PartitionedParquetWriter {
  private readonly partitions = new Map<string, PartitionBuffer>();
  private bufferedRows = 0;
  public writtenRows = 0;

  constructor(
    private readonly dataset: CompiledDataset,
    private readonly sourceId: string,
    private readonly write: (file: OutputFile) => Promise<void>,
    private readonly rowGroupRows: number = DEFAULT_ROW_GROUP_ROWS,
  ) {}

  /** Adds one converted row (values in dataset column order); may return a pending flush. */
  public append(values: readonly (ColumnValue | null)[]): Promise<void> | undefined {
    const { dataset } = this;
    let prefix = `${dataset.name}/`;
    for (const index of dataset.partitionIndexes) {
      prefix += `${dataset.columns[index].name}=${partitionValue(values[index]!, dataset.columns[index].kind)}/`;
    }
    let partition = this.partitions.get(prefix);
    if (!partition) {
      partition = new PartitionBuffer(prefix, dataset);
      this.partitions.set(prefix, partition);
    }
    const columns = partition.columns;
    const dataIndexes = dataset.dataIndexes;
    for (let i = 0; i < dataIndexes.length; i++) columns[i].push(values[dataIndexes[i]]);
    this.bufferedRows++;
    if (this.bufferedRows < this.rowGroupRows) return undefined;
    let largest = partition;
    for (const candidate of this.partitions.values()) if (candidate.rows > largest.rows) largest = candidate;
    return this.flush(largest);
  }

  private flush(partition: PartitionBuffer): Promise<void> {
    const rows = partition.rows;
    if (rows === 0) return Promise.resolve();
    const body = encodeParquetFile(partition.columns);
    const key = `${partition.prefix}part-${this.sourceId}-${String(partition.files).padStart(5, '0')}.parquet`;
    partition.files++;
    partition.reset(this.dataset);
    this.bufferedRows -= rows;
    this.writtenRows += rows;
    return this.write({ key, body, rows });
  }

  /** Writes every partition still buffered; call once, after the last row. */
  public async finish(): Promise<void> {
    for (const partition of this.partitions.values()) await this.flush(partition);
  }
}

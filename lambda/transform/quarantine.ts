/**
 * Records that cannot be written are quarantined, never dropped: each becomes one JSON line with
 * the source object, the line (or position) where it starts, the reason, and the raw record, under
 * `quarantine/<dataset>/part-<sourceId>-<n>.jsonl` in the standardized bucket. Lines are buffered
 * up to a bound and written in numbered parts, so memory stays bounded here too.
 */
import type { SourceObject } from '../../contract/object-created-event';
import { quarantinePrefix } from '../../contract/standardized-layout';
import type { OutputFile } from './partitioned-writer';

export type { SourceObject } from '../../contract/object-created-event';

export interface QuarantinedRecord {
  readonly line: number;
  readonly reason: string;
  /** The record as read: CSV text, a JSON line, or the values found. */
  readonly record: unknown;
}

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export class QuarantineWriter {
  private lines: string[] = [];
  private bytes = 0;
  private parts = 0;
  public count = 0;

  constructor(
    private readonly dataset: string,
    private readonly source: SourceObject,
    private readonly sourceId: string,
    private readonly write: (file: OutputFile) => Promise<void>,
  ) {}

  public add(record: QuarantinedRecord): Promise<void> | undefined {
    const line = JSON.stringify({
      source: `s3://${this.source.bucket}/${this.source.key}`,
      source_version: this.source.version,
      line: record.line,
      reason: record.reason,
      record: record.record,
    }, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
    this.lines.push(line);
    this.bytes += line.length + 1;
    this.count++;
    return this.bytes >= MAX_BUFFERED_BYTES ? this.flush() : undefined;
  }

  private flush(): Promise<void> {
    if (this.lines.length === 0) return Promise.resolve();
    const body = Buffer.from(`${this.lines.join('\n')}\n`, 'utf8');
    const rows = this.lines.length;
    const key = `${quarantinePrefix(this.dataset)}part-${this.sourceId}-${String(this.parts).padStart(5, '0')}.jsonl`;
    this.parts++;
    this.lines = [];
    this.bytes = 0;
    return this.write({ key, body, rows });
  }

  public finish(): Promise<void> {
    return this.flush();
  }
}

/** The standardized bucket in memory, for tests of transformObject that need no S3 endpoint. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OutputFile } from '../../lambda/transform/partitioned-writer';
import type { OutputStore } from '../../lambda/transform/transform-object';

export class MemoryStore implements OutputStore {
  public readonly files = new Map<string, Buffer>();
  public async put(file: OutputFile): Promise<void> { this.files.set(file.key, file.body); }
  public async get(key: string): Promise<Buffer | undefined> { return this.files.get(key); }
  public async remove(keys: readonly string[]): Promise<void> { for (const key of keys) this.files.delete(key); }
  /** Writes the files under a fresh directory, for DuckDB. */
  public toDirectory(prefix = 'lakeworks-transform-'): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    for (const [key, body] of this.files) {
      fs.mkdirSync(path.dirname(path.join(dir, key)), { recursive: true });
      fs.writeFileSync(path.join(dir, key), body);
    }
    return dir;
  }
  /** Every quarantine record written, in key order of insertion. */
  public quarantineLines(): Array<Record<string, unknown>> {
    return [...this.files].filter(([key]) => key.startsWith('quarantine/')).flatMap(([, body]) =>
      body.toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)));
  }
  /** The Parquet files' paths under `dir` (toDirectory). */
  public parquetFiles(dir: string): string[] {
    return [...this.files.keys()].filter((key) => key.endsWith('.parquet')).map((key) => path.join(dir, key));
  }
}

/** A store that keeps nothing: for work measured or predicted, not stored. */
export const DISCARDING_STORE: OutputStore = { put: async () => undefined, get: async () => undefined, remove: async () => undefined };

/**
 * Runs the transform (transformObject, the core the Lambda handler runs for each raw object) on
 * local files and writes its outputs, manifests included, into a folder standing in for the
 * standardized bucket. The Spark tests and the curation benchmark deliver days of data through it.
 *
 *   echo '{"lob": "finance", "root": "out/finance", "deliveries": [...]}' | npx tsx tools/local/transform-files.ts
 *
 * A delivery: {"dataset", "file" or "text", "key" (the raw key), "version", "ingestedAt", "writtenAt"}
 * (ISO times; writtenAt picks the manifest's day). Prints one JSON line: each delivery's result.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { writerSettingsOf } from '../../contract/transform-settings';
import { compileDataset } from '../../lambda/transform/compiled-dataset';
import { bufferByteRanges } from '../../lambda/transform/object-bytes';
import type { OutputFile } from '../../lambda/transform/partitioned-writer';
import { UnreadableObjectError } from '../../lambda/transform/record-readers';
import { type OutputStore, transformObject } from '../../lambda/transform/transform-object';
import { loadLakeConfig } from '../../lib/config/load-config';

interface Delivery {
  readonly dataset: string;
  readonly file?: string;
  readonly text?: string;
  readonly key: string;
  readonly version: string;
  readonly ingestedAt: string;
  readonly writtenAt: string;
}

/** A folder as the standardized bucket: keys are paths under it. */
export class FolderStore implements OutputStore {
  constructor(private readonly root: string) {}

  public async put(file: OutputFile): Promise<void> {
    const target = path.join(this.root, ...file.key.split('/'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.body);
  }

  public async get(key: string): Promise<Buffer | undefined> {
    const file = path.join(this.root, ...key.split('/'));
    return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  }

  public async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) fs.rmSync(path.join(this.root, ...key.split('/')), { force: true });
  }
}

async function main(): Promise<void> {
  const request = JSON.parse(fs.readFileSync(0, 'utf8')) as { lob: string; root: string; config?: string; deliveries: Delivery[] };
  const config = loadLakeConfig(request.config ?? process.env.LAKEWORKS_CONFIG_DIR ?? 'config');
  const lob = config.lobs.find((candidate) => candidate.name === request.lob);
  if (!lob) throw new Error(`unknown line of business ${JSON.stringify(request.lob)}`);
  const datasets = new Map(lob.datasets.map((dataset) => [dataset.name, compileDataset(dataset)]));
  const store = new FolderStore(path.join(request.root, 'standardized'));
  const results = [];
  for (const delivery of request.deliveries) {
    const dataset = datasets.get(delivery.dataset);
    if (!dataset) throw new Error(`unknown dataset ${JSON.stringify(delivery.dataset)}`);
    // Parquet is read by byte ranges (footer first): a local file's, held in memory here.
    const body = dataset.config.format === 'parquet'
      ? bufferByteRanges(delivery.file !== undefined ? fs.readFileSync(delivery.file) : Buffer.from(delivery.text ?? '', 'utf8'))
      : delivery.file !== undefined ? fs.createReadStream(delivery.file) : Readable.from([Buffer.from(delivery.text ?? '', 'utf8')]);
    try {
      const result = await transformObject({ bucket: 'raw', key: delivery.key, version: delivery.version }, body, dataset, store, {
        ingestedAt: new Date(delivery.ingestedAt),
        clock: () => new Date(delivery.writtenAt),
        ...writerSettingsOf(lob),
      });
      results.push({ manifest: result.manifest, read: result.read, written: result.written, quarantined: result.quarantined, outputs: result.outputs });
    } catch (error) {
      // As in Lambda: an unreadable object leaves nothing in standardized (the handler then marks it and fails the message).
      if (!(error instanceof UnreadableObjectError)) throw error;
      results.push({ unreadable: error.message, outputs: [] });
    }
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

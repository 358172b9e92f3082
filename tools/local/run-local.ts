/**
 * Local mode (see scripts/local.ts): the real transform handler against an embedded S3 endpoint,
 * then the curated layers on Spark (local-curation.ts). The lake under `--out` is kept between
 * runs (the endpoint's files and the Iceberg catalog in `<out>/.lakeworks/`), so a second run with
 * the next day's files is the next day's run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { loadLakeConfig } from '../../lib/config/load-config';
import { STORAGE_LAYERS, type StorageLayer, dataBucketName } from '../../lib/config/names';
import type { CurationMode } from '../../lib/curation/job-arguments';
import type { CreatedObjectFields } from '../../contract/object-created-event';
import { landingKey } from '../../contract/raw-layout';
import { quarantinePrefix } from '../../contract/standardized-layout';
import * as transformSettings from '../../contract/transform-settings';
import { type ManifestSummary, manifestSummary } from './manifest-summary';
import { countParquetRows } from './parquet-row-count';
import { DatasetInputError, datasetFolders, datasetInputs, filesUnder } from './dataset-inputs';
import { startEmbeddedS3 } from './embedded-lake';
import { LocalPullError, type LocalPullOptions, type PullReport, runLocalPull } from './local-pull';
import { type ApiPullReport, LocalApiPullError, type LocalApiPullOptions, runLocalApiPull } from './local-api-pull';
import { type CurationReport, LocalCurationError, runLocalCuration } from './local-curation';

export class LocalModeError extends Error {}

export interface LocalRunOptions {
  readonly lob: string;
  /** `<dir>/<dataset>/<files>` to upload; optional when `pull` brings the input. */
  readonly input?: string;
  /** Pull a database source's dataset from a database the user names first; its rows are uploaded with the input. */
  readonly pull?: LocalPullOptions;
  /** Pull an API source's dataset from a URL the user names first; the pages it wrote are uploaded with the input. */
  readonly apiPull?: LocalApiPullOptions;
  readonly out: string;
  readonly configDir: string;
  /** Scratch space (the curation plan handed to Spark). */
  readonly workDir: string;
  /** Stop after the transform, or go on to the curated layers (the default). */
  readonly through?: 'transform' | 'curated';
  /** The curated layers' run: incremental (the default, as scheduled) or a backfill from every source. */
  readonly mode?: CurationMode;
}

export interface LocalSummary {
  /** Per dataset, what the lake's standardized layer holds after the run. */
  readonly datasets: Record<string, { read: number; written: number; quarantined: number } & ManifestSummary>;
  /** Every object of the raw and standardized buckets, as `<layer>/<key>`. */
  readonly objects: string[];
  /** Each curated table's run, in the order the state machine runs them; absent with --through transform. */
  readonly curated?: CurationReport[];
  /** The database pull's report, with --pull. */
  readonly pulled?: PullReport;
  /** The API pull's report, with --pull <dataset> --api-url. */
  readonly apiPulled?: ApiPullReport;
}

/** The layers the transform writes through S3; the curated layers are Iceberg tables Spark writes. */
const MIRRORED_LAYERS = ['raw', 'standardized'] as const;

export async function runLocal(options: LocalRunOptions): Promise<LocalSummary> {
  const config = loadLakeConfig(options.configDir);
  const lob = config.lobs.find((candidate) => candidate.name === options.lob);
  if (!lob) throw new LocalModeError(`unknown line of business ${JSON.stringify(options.lob)}; configured: ${config.lobs.map((l) => l.name).join(', ')}`);
  if (options.input === undefined && !options.pull && !options.apiPull) throw new LocalModeError('expected --input, --pull or both');
  if (options.input !== undefined && (!fs.existsSync(options.input) || !fs.statSync(options.input).isDirectory())) throw new LocalModeError(`--input ${options.input} is not a directory`);
  // The pull writes raw landing/<dataset>/… under this folder: its landing/ is laid out as an input.
  const pulledRaw = path.join(options.workDir, 'pulled');
  let pulled: PullReport | undefined;
  if (options.pull) {
    try {
      pulled = await runLocalPull(lob, options.pull, pulledRaw, options.out, options.workDir);
    } catch (error) {
      if (error instanceof LocalPullError) throw new LocalModeError(error.message);
      throw error;
    }
  }
  let apiPulled: ApiPullReport | undefined;
  if (options.apiPull) {
    const first = config.platform.environments[0];
    const scope = { organisation: config.platform.organisation, environment: first.name, account: first.account, region: first.region };
    try {
      apiPulled = await runLocalApiPull(lob, options.apiPull, pulledRaw, path.join(options.out, '.lakeworks', 's3'), first.region, dataBucketName(scope, lob.name, 'raw'));
    } catch (error) {
      if (error instanceof LocalApiPullError) throw new LocalModeError(error.message);
      throw error;
    }
  }
  const inputDirs = [options.input, path.join(pulledRaw, 'landing')].filter((dir): dir is string => dir !== undefined && fs.existsSync(dir));
  let datasetDirs: string[];
  let inputs;
  try {
    datasetDirs = [...new Set(inputDirs.flatMap((dir) => datasetFolders(dir, lob)))].sort();
    inputs = inputDirs.flatMap((dir) => datasetInputs(dir, lob));
  } catch (error) {
    if (error instanceof DatasetInputError) throw new LocalModeError(error.message);
    throw error;
  }

  // Real bucket names of the first environment: what you see locally is what the lake holds.
  const environment = config.platform.environments[0];
  const names = { organisation: config.platform.organisation, environment: environment.name, account: environment.account, region: environment.region };
  const buckets = Object.fromEntries(STORAGE_LAYERS.map((layer) => [layer, dataBucketName(names, lob.name, layer)])) as Record<StorageLayer, string>;

  const lake = await startEmbeddedS3({ directory: path.join(options.out, '.lakeworks', 's3'), region: environment.region, buckets: Object.values(buckets) });
  const restoreConsole = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  try {
    const uploads: CreatedObjectFields[] = [];
    for (const { dataset, file, name } of inputs) uploads.push(await lake.upload(buckets.raw, landingKey(dataset, name), fs.readFileSync(file)));

    // Handler logs and metrics go to stderr; stdout carries only the summary. Powertools writes
    // through the global console only in dev mode, which it reads when the handler module loads,
    // so the console is redirected before the handler is loaded with its environment.
    const toStderr = (...args: unknown[]) => { process.stderr.write(`${format(...args)}\n`); };
    Object.assign(console, { log: toStderr, info: toStderr, warn: toStderr, error: toStderr, debug: toStderr });
    // The handler configures itself from the environment, exactly as in Lambda: the LoB's settings
    // as deployed, with the local endpoint and Powertools' dev mode.
    const transform = lake.loadTransform(transformSettings.toEnvironment(
      transformSettings.transformSettingsOf(lob, buckets.standardized, { s3Endpoint: lake.endpoint, powertools: { dev: true } }),
    ));
    await transform.deliver(uploads);

    for (const layer of MIRRORED_LAYERS) fs.rmSync(path.join(options.out, layer), { recursive: true, force: true });
    const objects: string[] = [];
    for (const layer of MIRRORED_LAYERS) objects.push(...(await lake.mirror(buckets[layer], path.join(options.out, layer))).map((key) => `${layer}/${key}`));

    const datasets: LocalSummary['datasets'] = {};
    for (const dataset of datasetDirs) {
      const standardized = path.join(options.out, 'standardized');
      const written = await countParquetRows(path.join(standardized, dataset));
      const quarantineDir = path.join(standardized, ...quarantinePrefix(dataset).split('/'));
      const quarantineFiles = fs.existsSync(quarantineDir) ? filesUnder(quarantineDir) : [];
      const quarantined = quarantineFiles.reduce((sum, file) => sum + (file.endsWith('.jsonl')
        ? fs.readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').length
        : 1), 0);
      datasets[dataset] = { read: written + quarantined, written, quarantined, ...manifestSummary(standardized, dataset) };
    }
    if (options.through === 'transform') return { datasets, objects: objects.sort(), ...(pulled ? { pulled } : {}), ...(apiPulled ? { apiPulled } : {}) };
    let curated: CurationReport[];
    try {
      curated = await runLocalCuration(lob, names, options.out, options.workDir, options.mode ?? 'incremental');
    } catch (error) {
      if (error instanceof LocalCurationError) throw new LocalModeError(error.message);
      throw error;
    }
    return { datasets, objects: objects.sort(), curated, ...(pulled ? { pulled } : {}), ...(apiPulled ? { apiPulled } : {}) };
  } finally {
    Object.assign(console, restoreConsole);
    await lake.stop();
  }
}

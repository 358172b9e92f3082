/**
 * Reads and validates the whole configuration: `platform.yaml` and every `lobs/*.yaml`.
 *
 * Everything is checked before the first construct is built, and every problem in every file is
 * reported at once, so a user fixes their config in one pass rather than one error per synth.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem, problemsFromIssue } from './config-error';
import { CURATED_SQL_ROOT, curatedSqlProblems } from './curated-sql';
import { type DatasetRole, datasetRoles } from './dataset-roles';
import { type LobConfig, lobSchema } from './lob-schema';
import { MAX_ROLE_NAME_LENGTH, STORAGE_LAYERS, accessLogBucketName, bucketNameProblem, dataBucketName, lobRoleName } from './names';
import { type PlatformConfig, platformSchema } from './platform-schema';
import { sourceEnvironmentProblems } from './source-environments';

export interface LakeConfig {
  readonly platform: PlatformConfig;
  /** Sorted by name, so stack order does not depend on the file system. */
  readonly lobs: readonly LobConfig[];
}

/** A config file's name (as shown in messages) and its text. */
export interface ConfigSource {
  readonly file: string;
  readonly text: string;
}

export const DEFAULT_CONFIG_DIR = 'config';

/**
 * Loads `<dir>/platform.yaml` and `<dir>/lobs/*.yaml`, and checks each LoB's curated SQL files
 * under `sqlRoot`; throws ConfigError listing every problem.
 */
export function loadLakeConfig(configDir: string = DEFAULT_CONFIG_DIR, sqlRoot: string = CURATED_SQL_ROOT): LakeConfig {
  const display = (file: string) => path.relative(process.cwd(), file) || file;
  const platformFile = path.join(configDir, 'platform.yaml');
  if (!fs.existsSync(platformFile)) {
    throw new ConfigError([{ file: display(platformFile), path: '', message: 'file not found; every Lakeworks app needs one (see docs/configuration.md)' }]);
  }
  const lobDir = path.join(configDir, 'lobs');
  const lobFiles = fs.existsSync(lobDir)
    ? fs.readdirSync(lobDir).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => path.join(lobDir, name))
    : [];
  const config = parseLakeConfig(
    { file: display(platformFile), text: fs.readFileSync(platformFile, 'utf8') },
    lobFiles.map((file) => ({ file: display(file), text: fs.readFileSync(file, 'utf8') })),
  );
  const problems = config.lobs.flatMap((lob) => curatedSqlProblems(lob, display(lobFiles.find((file) => path.basename(file).replace(/\.ya?ml$/, '') === lob.name)!), sqlRoot));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Validates config given as text; the unit under test for every config rule. */
export function parseLakeConfig(platformSource: ConfigSource, lobSources: readonly ConfigSource[]): LakeConfig {
  const problems: ConfigProblem[] = [];
  const platform = parseFile(platformSource, platformSchema, problems);
  if (lobSources.length === 0) {
    problems.push({ file: path.join(path.dirname(platformSource.file), 'lobs'), path: '', message: 'expected at least one line-of-business file (<lob>.yaml); run `npm run new-lob -- <name>`' });
  }
  const lobs: LobConfig[] = [];
  const lobFileByName = new Map<string, string>();
  for (const source of lobSources) {
    const lob = parseFile(source, lobSchema, problems);
    if (!lob) continue;
    const expectedName = path.basename(source.file).replace(/\.ya?ml$/, '');
    if (lob.name !== expectedName) {
      problems.push({ file: source.file, path: 'name', message: `expected the file's name ${JSON.stringify(expectedName)}; got ${JSON.stringify(lob.name)}` });
    }
    const other = lobFileByName.get(lob.name);
    if (other) {
      problems.push({ file: source.file, path: 'name', message: `duplicate line-of-business name ${JSON.stringify(lob.name)}, also defined in ${other}` });
      continue;
    }
    lobFileByName.set(lob.name, source.file);
    lobs.push(lob);
  }
  if (platform) {
    problems.push(...physicalNameProblems(platform, platformSource.file, lobs, lobFileByName));
    problems.push(...sourceEnvironmentProblems(platform, lobs, lobFileByName));
  }
  if (problems.length > 0 || !platform) throw new ConfigError(problems);
  return { platform, lobs: lobs.sort((a, b) => a.name.localeCompare(b.name)) };
}

function parseFile<T extends z.ZodType>(source: ConfigSource, schema: T, problems: ConfigProblem[]): z.output<T> | undefined {
  const document = parseDocument(source.text, { prettyErrors: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const where = error.linePos?.[0] ? `line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
      problems.push({ file: source.file, path: where, message: `YAML syntax error: ${error.message.split('\n')[0]}` });
    }
    return undefined;
  }
  const result = schema.safeParse(document.toJS() ?? {}, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(...problemsFromIssue(source.file, issue));
    return undefined;
  }
  return result.data;
}

/** Every bucket name each environment x LoB x layer would produce must be valid in S3. */
function physicalNameProblems(
  platform: PlatformConfig, platformFile: string, lobs: readonly LobConfig[], lobFileByName: ReadonlyMap<string, string>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  platform.environments.forEach((environment, index) => {
    const scope = { organisation: platform.organisation, environment: environment.name, account: environment.account, region: environment.region };
    const logBucket = accessLogBucketName(scope);
    const logProblem = bucketNameProblem(logBucket);
    if (logProblem) {
      problems.push({ file: platformFile, path: `environments[${index}]`, message: `the access-log bucket name "${logBucket}" ${logProblem}` });
    }
    for (const lob of lobs) {
      // Report the longest name: shortening it fixes every layer at once.
      const [layer, name] = STORAGE_LAYERS.map((l) => [l, dataBucketName(scope, lob.name, l)] as const)
        .reduce((longest, candidate) => (candidate[1].length > longest[1].length ? candidate : longest));
      if (lob.dashboard.enabled && !environment.quickSight) {
        problems.push({
          file: lobFileByName.get(lob.name) ?? lob.name, path: 'dashboard.enabled',
          message: `environment ${environment.name} has no quickSight settings in ${platformFile}; add them (the account needs a QuickSight subscription) or disable the dashboard`,
        });
      }
      // Roles of streams and pulls (and the pull and processor functions named like them) carry the
      // dataset name too; the longest is reported, since shortening the name fixes them all.
      lob.datasets.forEach((dataset, index) => {
        const longest = datasetRoles(scope, lob.name, dataset).reduce<DatasetRole | undefined>((found, role) => (found && found.name.length >= role.name.length ? found : role), undefined);
        if (longest && longest.name.length > MAX_ROLE_NAME_LENGTH) {
          problems.push({
            file: lobFileByName.get(lob.name) ?? lob.name, path: `datasets[${index}].name`,
            message: `in environment ${environment.name}, the ${longest.what} role name "${longest.name}" is ${longest.name.length} characters long; IAM allows at most ${MAX_ROLE_NAME_LENGTH}; shorten the dataset or LoB name`,
          });
        }
      });
      lob.personas.forEach((persona, index) => {
        const role = lobRoleName(scope, lob.name, persona.name);
        if (role.length > MAX_ROLE_NAME_LENGTH) {
          problems.push({
            file: lobFileByName.get(lob.name) ?? lob.name, path: `personas[${index}].name`,
            message: `in environment ${environment.name}, the IAM role name "${role}" is ${role.length} characters long; IAM allows at most ${MAX_ROLE_NAME_LENGTH}; shorten the persona or LoB name`,
          });
        }
      });
      const problem = bucketNameProblem(name);
      if (problem) {
        problems.push({
          file: lobFileByName.get(lob.name) ?? lob.name, path: 'name',
          message: `in environment ${environment.name}, the ${layer} bucket name "${name}" ${problem}; shorten the LoB name, organisation or environment name`,
        });
      }
    }
  });
  return problems;
}

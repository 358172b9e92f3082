/**
 * The IAM roles synth creates for a dataset, named `<org>-<env>-<lob>-<dataset>-<purpose>`
 * (names.ts): a stream's processor and delivery roles, an API pull's function role, a database
 * pull's job role and the role that announces its failures. The constructs take their purposes
 * from here, and config is checked against IAM's limit with the same list (load-config.ts), so a
 * dataset name too long for one of them fails synth before any construct is built.
 */
import { type NameScope, datasetRoleName } from './names';

export const DATASET_ROLE_PURPOSES = {
  streamProcessor: 'processor',
  streamDelivery: 'delivery',
  apiPull: 'pull',
  databasePull: 'pull',
  databasePullAlerts: 'pull-alerts',
} as const;

/** What a dataset's config says about the roles it needs. */
export interface RoleOwningDataset {
  readonly name: string;
  readonly ingest: string;
  readonly source?: { readonly api?: unknown; readonly database?: unknown };
}

export interface DatasetRole {
  /** What the role is for, as a message names it. */
  readonly what: string;
  readonly name: string;
}

/**
 * Every role synth may create for the dataset in the scope's environment. A pull's roles count
 * whether or not the environment has its secret yet: renaming a dataset later moves its raw and
 * standardized data, so a name that cannot work anywhere is refused at once.
 */
export function datasetRoles(scope: Pick<NameScope, 'organisation' | 'environment'>, lob: string, dataset: RoleOwningDataset): DatasetRole[] {
  const role = (what: string, purpose: string): DatasetRole => ({ what, name: datasetRoleName(scope, lob, dataset.name, purpose) });
  return [
    ...(dataset.ingest === 'stream' ? [role('stream processor', DATASET_ROLE_PURPOSES.streamProcessor), role('Firehose delivery', DATASET_ROLE_PURPOSES.streamDelivery)] : []),
    ...(dataset.source?.api ? [role('API pull', DATASET_ROLE_PURPOSES.apiPull)] : []),
    ...(dataset.source?.database ? [role('database pull', DATASET_ROLE_PURPOSES.databasePull), role('database pull alerts', DATASET_ROLE_PURPOSES.databasePullAlerts)] : []),
  ];
}

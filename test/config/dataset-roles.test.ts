/**
 * Role names synth derives from a dataset's name (lib/config/dataset-roles.ts) must fit IAM's
 * 64 characters in every environment: a name that makes one too long fails synth with the file,
 * the field and the limit, before any construct is built.
 */
import { DATASET_ROLE_PURPOSES, datasetRoles } from '../../lib/config/dataset-roles';
import { MAX_ROLE_NAME_LENGTH } from '../../lib/config/names';
import { FINANCE, type Fixture, MARKETING, configErrorOf, parseFixture, sampleFixture } from '../helpers/config-fixtures';

const SCOPE = { organisation: 'acme', environment: 'prod' };

/** A dataset name that, with `suffix`, makes a role name of exactly `length` characters in acme-prod-<lob>. */
const nameFor = (lob: string, suffix: string, length: number) => {
  const fixed = `acme-prod-${lob}-`.length + suffix.length + 1;
  return `a${'b'.repeat(length - fixed - 1)}`;
};

test('every role of a stream, an API pull and a database pull, named by purpose', () => {
  expect(datasetRoles(SCOPE, 'marketing', { name: 'web_events', ingest: 'stream' }).map((role) => [role.what, role.name])).toEqual([
    ['stream processor', 'acme-prod-marketing-web-events-processor'],
    ['Firehose delivery', 'acme-prod-marketing-web-events-delivery'],
  ]);
  expect(datasetRoles(SCOPE, 'finance', { name: 'stock_prices', ingest: 'batch', source: { api: {} } }).map((role) => role.name)).toEqual(['acme-prod-finance-stock-prices-pull']);
  expect(datasetRoles(SCOPE, 'marketing', { name: 'accounts', ingest: 'batch', source: { database: {} } }).map((role) => role.name))
    .toEqual(['acme-prod-marketing-accounts-pull', 'acme-prod-marketing-accounts-pull-alerts']);
  expect(datasetRoles(SCOPE, 'marketing', { name: 'leads', ingest: 'batch' })).toEqual([]);
});

describe('a dataset name that makes a role name too long fails synth, naming the role', () => {
  /** Adds a copy of `dataset` named `name` to the LoB file; returns the copy's index. */
  const addCopy = (fixture: Fixture, file: string, dataset: string, name: string) => {
    const datasets = fixture.lobs[file].datasets;
    return datasets.push({ ...structuredClone(datasets.find((candidate: { name: string }) => candidate.name === dataset)), name }) - 1;
  };
  const errorOf = (file: string, dataset: string, name: string) => {
    let index = -1;
    const message = configErrorOf((fixture) => { index = addCopy(fixture, file, dataset, name); });
    return { index, message };
  };

  test('the database pull\'s alerts role: one character over', () => {
    const name = nameFor('marketing', DATASET_ROLE_PURPOSES.databasePullAlerts, MAX_ROLE_NAME_LENGTH + 1);
    const role = `acme-prod-marketing-${name}-pull-alerts`;
    expect(role).toHaveLength(65);
    // The pull has no secret in any environment yet: the name is refused all the same.
    const { index, message } = errorOf(MARKETING, 'accounts', name);
    expect(message).toContain(`${MARKETING}: datasets[${index}].name: in environment prod, the database pull alerts role name "${role}" is 65 characters long; IAM allows at most 64; shorten the dataset or LoB name`);
  });

  test('the same name at exactly 64 characters is accepted', () => {
    const fixture = sampleFixture();
    addCopy(fixture, MARKETING, 'accounts', nameFor('marketing', DATASET_ROLE_PURPOSES.databasePullAlerts, MAX_ROLE_NAME_LENGTH));
    expect(() => parseFixture(fixture)).not.toThrow();
  });

  test('the API pull\'s role', () => {
    const name = nameFor('finance', DATASET_ROLE_PURPOSES.apiPull, 70);
    const { index, message } = errorOf(FINANCE, 'fx_rates', name);
    expect(message).toContain(`${FINANCE}: datasets[${index}].name: in environment prod, the API pull role name "acme-prod-finance-${name}-pull" is 70 characters long; IAM allows at most 64`);
  });

  test('a stream\'s processor role', () => {
    const name = nameFor('marketing', DATASET_ROLE_PURPOSES.streamProcessor, 66);
    const { index, message } = errorOf(MARKETING, 'web_events', name);
    expect(message).toContain(`${MARKETING}: datasets[${index}].name: in environment prod, the stream processor role name "acme-prod-marketing-${name}-processor" is 66 characters long; IAM allows at most 64`);
  });
});

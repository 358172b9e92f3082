import { ConfigError } from '../../lib/config/config-error';
import { loadLakeConfig } from '../../lib/config/load-config';
import { FINANCE, MARKETING, configErrorOf, parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { SAMPLE_CONFIG_DIR } from '../helpers/sample-app';

describe('the sample configuration', () => {
  const config = loadLakeConfig(SAMPLE_CONFIG_DIR);

  test('has dev and prod in one region, with placeholder accounts', () => {
    expect(config.platform.environments.map((environment) => environment.name)).toEqual(['dev', 'prod']);
    expect(new Set(config.platform.environments.map((environment) => environment.region)).size).toBe(1);
    for (const environment of config.platform.environments) expect(environment.account).toMatch(/^\d{12}$/);
  });

  test('retains data by default and lets only dev opt into destruction', () => {
    const destroyable = config.platform.environments.filter((environment) => environment.allowDataDestruction);
    expect(destroyable.map((environment) => environment.name)).toEqual(['dev']);
  });

  test('defines the finance and marketing lines of business with the documented datasets', () => {
    const columns = (lob: string, dataset: string) =>
      config.lobs.find((l) => l.name === lob)!.datasets.find((d) => d.name === dataset)!.schema.map((column) => column.name);
    expect(config.lobs.map((lob) => lob.name)).toEqual(['finance', 'marketing']);
    expect(columns('finance', 'stock_prices')).toEqual(['ticker', 'date', 'open', 'high', 'low', 'close', 'adj_close', 'volume']);
    expect(columns('finance', 'fx_rates')).toEqual(['from_currency', 'to_currency', 'date', 'open', 'high', 'low', 'close']);
    expect(columns('marketing', 'web_events')).toContain('event_time');
    expect(columns('marketing', 'leads')).toEqual(expect.arrayContaining(['email', 'phone', 'region']));
  });

  test('marks personal data in leads as pii and streams web events', () => {
    const marketing = config.lobs.find((lob) => lob.name === 'marketing')!;
    const leads = marketing.datasets.find((dataset) => dataset.name === 'leads')!;
    const pii = leads.schema.filter((column) => column.classification === 'pii').map((column) => column.name);
    expect(pii).toEqual(expect.arrayContaining(['email', 'phone']));
    expect(marketing.datasets.find((dataset) => dataset.name === 'web_events')!.ingest).toBe('stream');
  });

  test('fills defaults the files leave out', () => {
    const finance = config.lobs.find((lob) => lob.name === 'finance')!;
    const column = finance.datasets[0].schema.find((c) => c.name === 'open')!;
    expect(column.nullable).toBe(true);
    expect(finance.personas.find((persona) => persona.name === 'analyst')!.write).toBe(false);
  });
});

describe('config errors name the file, the field path and what was expected', () => {
  test('an unsupported column type', () => {
    expect(configErrorOf((f) => { f.lobs[FINANCE].datasets[0].schema[5].type = 'float64'; })).toBe(
      'config/lobs/finance.yaml: datasets[0].schema[5].type: expected one of string, int, bigint, double, decimal(p,s), boolean, date, timestamp; got "float64"',
    );
  });

  test('a decimal beyond Glue\'s precision', () => {
    expect(configErrorOf((f) => { f.lobs[FINANCE].datasets[0].schema[2].type = 'decimal(40,2)'; })).toBe(
      'config/lobs/finance.yaml: datasets[0].schema[2].type: expected decimal(p,s) with precision 1-38 and scale <= precision; got "decimal(40,2)"',
    );
  });

  test('unknown keys, at the top and nested', () => {
    const message = configErrorOf((f) => {
      f.lobs[FINANCE].colour = 'blue';
      f.lobs[FINANCE].datasets[1].partitionKeys = ['date'];
    });
    expect(message).toContain('config/lobs/finance.yaml: colour: unknown key');
    expect(message).toContain('config/lobs/finance.yaml: datasets[1].partitionKeys: unknown key');
  });

  test('a missing required field', () => {
    expect(configErrorOf((f) => { delete f.lobs[MARKETING].owner; })).toBe(
      'config/lobs/marketing.yaml: owner: expected string; got nothing (the field is required)',
    );
  });

  test('a value outside an enumeration', () => {
    expect(configErrorOf((f) => { f.lobs[MARKETING].datasets[1].schema[3].classification = 'secret'; })).toBe(
      'config/lobs/marketing.yaml: datasets[1].schema[3].classification: expected one of public, internal, confidential, pii; got "secret"',
    );
  });

  test('a Parquet integer encoding other than delta or plain', () => {
    expect(configErrorOf((f) => { f.lobs[FINANCE].transform = { parquetIntegerEncoding: 'bitpacked' }; })).toBe(
      'config/lobs/finance.yaml: transform.parquetIntegerEncoding: expected one of delta, plain; got "bitpacked"',
    );
  });

  test('an account id YAML read as a number', () => {
    expect(configErrorOf((f) => { f.platform.environments[1].account = 222222222222; })).toBe(
      'config/platform.yaml: environments[1].account: expected a 12-digit AWS account id in quotes; got number 222222222222',
    );
  });

  test('duplicate dataset names', () => {
    expect(configErrorOf((f) => { f.lobs[FINANCE].datasets[1].name = 'stock_prices'; })).toBe(
      'config/lobs/finance.yaml: datasets[1].name: duplicate dataset name "stock_prices"',
    );
  });

  test('duplicate column names', () => {
    expect(configErrorOf((f) => { f.lobs[FINANCE].datasets[0].schema[6].name = 'high'; })).toBe(
      'config/lobs/finance.yaml: datasets[0].schema[6].name: duplicate column name "high"',
    );
  });

  test('duplicate line-of-business names across files', () => {
    const message = configErrorOf((f) => { f.lobs['config/lobs/finance.yml'] = structuredClone(f.lobs[FINANCE]); });
    expect(message).toContain('config/lobs/finance.yml: name: duplicate line-of-business name "finance", also defined in config/lobs/finance.yaml');
  });

  test('a LoB whose name differs from its file name', () => {
    expect(configErrorOf((f) => { f.lobs[FINANCE].name = 'treasury'; })).toBe(
      'config/lobs/finance.yaml: name: expected the file\'s name "finance"; got "treasury"',
    );
  });

  test('duplicate environment names', () => {
    expect(configErrorOf((f) => { f.platform.environments[1].name = 'dev'; })).toContain(
      'config/platform.yaml: environments[1].name: duplicate environment name "dev"',
    );
  });

  test('a LoB name that cannot be part of a bucket name', () => {
    expect(configErrorOf((f) => {
      f.lobs['config/lobs/Risk_Team.yaml'] = { ...structuredClone(f.lobs[FINANCE]), name: 'Risk_Team' };
    })).toBe(
      'config/lobs/Risk_Team.yaml: name: expected a line-of-business name of lowercase letters, digits and single hyphens, starting with a letter; got "Risk_Team"',
    );
  });

  test('a dataset name that cannot be a Glue table name', () => {
    expect(configErrorOf((f) => { f.lobs[FINANCE].datasets[0].name = 'stock-prices'; })).toBe(
      'config/lobs/finance.yaml: datasets[0].name: expected a dataset name of lowercase letters, digits and underscores, starting with a letter; got "stock-prices"',
    );
  });

  test('a column name Athena reserves', () => {
    expect(configErrorOf((f) => { f.lobs[FINANCE].datasets[0].schema[0].name = 'select'; })).toContain(
      'config/lobs/finance.yaml: datasets[0].schema[0].name: "select" is a reserved word in Athena queries; choose another column name',
    );
  });

  test('a LoB name that makes a bucket name longer than 63 characters', () => {
    const name = 'global-markets-research-desk';
    expect(configErrorOf((f) => { f.lobs[`config/lobs/${name}.yaml`] = { ...structuredClone(f.lobs[FINANCE]), name }; })).toBe(
      `config/lobs/${name}.yaml: name: in environment dev, the standardized bucket name "acme-dev-${name}-standardized-111111111111-eu-west-1" `
      + 'is 73 characters long; S3 allows at most 63; shorten the LoB name, organisation or environment name\n'
      + `config/lobs/${name}.yaml: name: in environment prod, the standardized bucket name "acme-prod-${name}-standardized-222222222222-eu-west-1" `
      + 'is 74 characters long; S3 allows at most 63; shorten the LoB name, organisation or environment name',
    );
  });

  test('a persona name that makes an IAM role name longer than 64 characters', () => {
    expect(configErrorOf((f) => { f.lobs[FINANCE].personas[1].name = 'quantitative-research-analyst-for-emerging-markets'; })).toContain(
      'config/lobs/finance.yaml: personas[1].name: in environment prod, the IAM role name "acme-prod-finance-quantitative-research-analyst-for-emerging-markets" is 68 characters long; IAM allows at most 64; shorten the persona or LoB name',
    );
  });

  test('environments sharing an account and region with different account-level settings', () => {
    expect(configErrorOf((f) => {
      f.platform.environments[1].account = f.platform.environments[0].account;
      f.platform.environments[1].accountSettings.lakeFormationAdmins = ['arn:aws:iam::111111111111:role/LakeAdmin'];
      f.platform.environments[1].accountSettings.accessLogRetentionDays = 30;
    })).toBe(
      'config/platform.yaml: environments[1].accountSettings: environments dev and prod share account 111111111111 in eu-west-1 '
      + 'but their accountSettings differ; account-level settings must be identical',
    );
  });

  test('an environment outside the pipeline\'s region while the pipeline is enabled', () => {
    expect(configErrorOf((f) => { f.platform.environments[1].region = 'us-east-1'; })).toContain(
      'config/platform.yaml: environments[1].region: expected eu-west-1, the pipeline\'s region (the pipeline deploys within its own region only; '
      + 'deploy us-east-1 with GitHub Actions or from a laptop, or set pipeline.enabled: false); got "us-east-1"',
    );
  });

  test('environments sharing an account and region with the same settings are accepted', () => {
    const fixture = sampleFixture();
    fixture.platform.environments[1].account = fixture.platform.environments[0].account;
    fixture.platform.environments[1].accountSettings = structuredClone(fixture.platform.environments[0].accountSettings);
    fixture.platform.environments[1].accountSettings.lakeFormationAdmins.reverse();
    expect(parseFixture(fixture).platform.environments).toHaveLength(2);
  });

  test('a Lake Formation admin from another account', () => {
    expect(configErrorOf((f) => { f.platform.environments[0].accountSettings.lakeFormationAdmins = ['arn:aws:iam::999999999999:role/Admin']; })).toBe(
      'config/platform.yaml: environments[0].accountSettings.lakeFormationAdmins[0]: Lake Formation admins must belong to the environment\'s account 111111111111; got account 999999999999',
    );
  });

  test('a primary key that is not a column, and one that is nullable', () => {
    const message = configErrorOf((f) => {
      f.lobs[FINANCE].datasets[0].primaryKey = ['ticker', 'trade_date', 'open'];
    });
    expect(message).toContain('config/lobs/finance.yaml: datasets[0].primaryKey[1]: expected a column of this dataset\'s schema; got "trade_date"');
    expect(message).toContain('config/lobs/finance.yaml: datasets[0].primaryKey[2]: primary key column "open" must be declared nullable: false');
  });

  test('a partition column of a type Hive cannot partition on', () => {
    expect(configErrorOf((f) => {
      f.lobs[FINANCE].datasets[0].schema[5].nullable = false;
      f.lobs[FINANCE].datasets[0].partitionColumns = ['close'];
    })).toBe(
      'config/lobs/finance.yaml: datasets[0].partitionColumns[0]: partition column "close" has type decimal(18,6); expected one of string, int, bigint, date, boolean',
    );
  });

  test('a partition at a coarser grain: of a date or timestamp column, under a name of its own, in a grain there is', () => {
    const errorOf = (entry: unknown) => configErrorOf((f) => { f.lobs[FINANCE].datasets[0].partitionColumns = [entry]; });
    expect(errorOf({ column: 'ticker', granularity: 'month', as: 'ticker_month' })).toBe(
      'config/lobs/finance.yaml: datasets[0].partitionColumns[0].column: partition column "ticker" has type string; a month partition takes a date or timestamp column',
    );
    expect(errorOf({ column: 'date', granularity: 'month', as: 'open' })).toBe(
      'config/lobs/finance.yaml: datasets[0].partitionColumns[0].as: "open" is a column of the schema; a derived partition key needs a name of its own, e.g. date_month',
    );
    expect(errorOf({ column: 'date', granularity: 'week', as: 'trade_week' })).toBe(
      'config/lobs/finance.yaml: datasets[0].partitionColumns[0]: granularity: expected one of month, year; got "week"',
    );
    expect(errorOf({ column: 'trade_date', granularity: 'month', as: 'trade_month' })).toBe(
      'config/lobs/finance.yaml: datasets[0].partitionColumns[0].column: expected a column of this dataset\'s schema; got "trade_date"',
    );
  });

  test('a nested layout without its key columns', () => {
    expect(configErrorOf((f) => { delete f.lobs[FINANCE].datasets[1].nestedKeys; })).toBe(
      'config/lobs/finance.yaml: datasets[1].nestedKeys: expected the list of key columns, outermost first, for format nested_json',
    );
  });

  test('a stream dataset in a format Firehose records cannot carry', () => {
    expect(configErrorOf((f) => { f.lobs[MARKETING].datasets[0].format = 'csv'; })).toBe(
      'config/lobs/marketing.yaml: datasets[0].format: stream datasets receive one JSON record per Firehose record; expected jsonl, got csv',
    );
  });

  test('archiving a layer Athena queries', () => {
    expect(configErrorOf((f) => {
      f.lobs[FINANCE].storage.enriched = { transitions: [{ storageClass: 'DEEP_ARCHIVE', afterDays: 180 }] };
    })).toBe(
      'config/lobs/finance.yaml: storage.enriched.transitions[0].storageClass: Athena cannot read DEEP_ARCHIVE objects; only the raw layer may be archived there',
    );
  });

  test('a transition S3 would refuse at deploy time', () => {
    expect(configErrorOf((f) => {
      f.lobs[FINANCE].storage.conformed = { transitions: [{ storageClass: 'STANDARD_IA', afterDays: 7 }] };
    })).toBe('config/lobs/finance.yaml: storage.conformed.transitions[0].afterDays: S3 requires at least 30 days before STANDARD_IA; got 7');
  });

  test('a row filter on a dataset the LoB does not have', () => {
    expect(configErrorOf((f) => { f.lobs[MARKETING].personas[2].rowFilters[0].dataset = 'contacts'; })).toBe(
      'config/lobs/marketing.yaml: personas[2].rowFilters[0].dataset: expected one of this LoB\'s datasets (web_events, leads, accounts); got "contacts"',
    );
  });

  test('a YAML syntax error', () => {
    expect(configErrorOf((f) => { f.lobs[FINANCE] = 'name: finance\ndatasets: [\n'; })).toMatch(
      /^config\/lobs\/finance\.yaml: line \d+, column \d+: YAML syntax error: /,
    );
  });

  test('every problem in every file is reported at once', () => {
    const message = configErrorOf((f) => {
      f.lobs[FINANCE].datasets[0].schema[5].type = 'float64';
      f.lobs[MARKETING].costCenter = '';
      f.platform.organisation = 'ACME';
    });
    expect(message.split('\n')).toHaveLength(3);
  });

  test('a missing platform file', () => {
    expect(() => loadLakeConfig('/nonexistent/config')).toThrow(ConfigError);
    expect(() => loadLakeConfig('/nonexistent/config')).toThrow(/platform\.yaml: file not found/);
  });
});

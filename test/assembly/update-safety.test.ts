/**
 * Routine changes to a live lake, synthesized before and after: each may replace or destroy only
 * the stateful resources it means to (by CloudFormation's replacement rules, through
 * @aws-cdk/cloudformation-diff), and may change who reads what only where it means to. A Lake
 * Formation resource replaced by accident strips tags or revokes grants on deploy; an access
 * change nobody intended widens who sees what.
 *
 * The lake is synthesized with one environment and no pipeline (the stacks of every environment
 * are built by the same code), from the sample config changed as a person would change it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { parseLakeConfig } from '../../lib/config/load-config';
import type { LakeConfig } from '../../lib/config/load-config';
import { createLakeworksApp } from '../../lib/lakeworks-app';
import { type AccessMatrix, accessMatrix, accessViolations } from '../../tools/access/access-matrix';
import { readAssembly } from '../../tools/assembly/cloud-assembly';
import { type RiskyChange, describeChange, riskyChanges } from '../../tools/assembly/update-safety';
import { type Fixture, FINANCE, MARKETING, sampleFixture } from '../helpers/config-fixtures';
import { testAppProps } from '../helpers/sample-app';

function lakeOf(fixture: Fixture) {
  fixture.platform.environments = fixture.platform.environments.slice(0, 1);
  fixture.platform.pipeline = { ...fixture.platform.pipeline, enabled: false };
  const config: LakeConfig = parseLakeConfig(
    { file: 'config/platform.yaml', text: stringify(fixture.platform) },
    Object.entries(fixture.lobs).map(([file, doc]) => ({ file, text: stringify(doc) })),
  );
  const props = testAppProps();
  createLakeworksApp(config, props).app.synth();
  const stacks = readAssembly(props.outdir);
  return { config, stacks, access: accessMatrix(config, 'dev', stacks) };
}

/** Every column a principal reads, as `<principal> <layer>.<table>.<column>[ rows: filter]`. */
function readable(matrix: AccessMatrix): Set<string> {
  return new Set(matrix.access.flatMap((entry) => entry.columns.map((column) =>
    `${entry.principal} ${entry.layer}.${entry.table}.${column.name}${entry.rowFilter ? ` rows: ${entry.rowFilter}` : ''}`)));
}

interface Scenario {
  readonly name: string;
  /** Applied to the "after" config, or with `reverse` to the "before" one (a removal). */
  readonly change: (fixture: Fixture) => void;
  readonly reverse?: boolean;
  /** Replacements and deletions the change means, as `<stack>: <replace|destroy> <logical id pattern>`. */
  readonly intended?: RegExp[];
  /** Read access the change means to grant or take away, by principal. */
  readonly widens?: RegExp;
  readonly narrows?: RegExp;
}

/** The EMEA analyst's data cells filter and the grants on it, replaced together when the filter changes. */
const EMEA_FILTER = /^dev\/marketing-governance: (replace|destroy) emeaanalystleadsfilter(select|describe)? /;
const column = (name: string, classification: string) => ({ name, type: 'string', classification });
const leads = (f: Fixture) => f.lobs[MARKETING].datasets.find((d: any) => d.name === 'leads');
const stockPrices = (f: Fixture) => f.lobs[FINANCE].datasets.find((d: any) => d.name === 'stock_prices');

const SCENARIOS: Scenario[] = [
  ...['public', 'internal', 'confidential', 'pii'].flatMap((classification): Scenario[] => [
    {
      name: `add a ${classification} column to a dataset`,
      change: (f) => { leads(f).schema.push(column(`new_${classification}`, classification)); },
      // The EMEA analyst's filter hides the columns it is not cleared for: a new pii column makes it a new filter.
      intended: classification === 'pii' ? [EMEA_FILTER] : [],
      widens: new RegExp(`standardized\\.leads\\.new_${classification}`),
    },
    {
      name: `remove a ${classification} column from a dataset`,
      change: (f) => { leads(f).schema.push(column(`old_${classification}`, classification)); },
      reverse: true,
      intended: [new RegExp(`^dev/marketing-governance: destroy leadsold${classification}classificationtag `), ...(classification === 'pii' ? [EMEA_FILTER] : [])],
      narrows: new RegExp(`standardized\\.leads\\.old_${classification}`),
    },
  ]),
  {
    name: 'add a column to a conformed table',
    change: (f) => {
      stockPrices(f).schema.push({ name: 'exchange', type: 'string', classification: 'internal' });
      f.lobs[FINANCE].curated.conformed[0].columns.push({ name: 'exchange', type: 'string' });
    },
    widens: /(standardized\.stock_prices|conformed\.daily_prices)\.exchange/,
  },
  {
    name: 'add a dataset',
    change: (f) => {
      f.lobs[FINANCE].datasets.push({
        name: 'dividends', ingest: 'batch', format: 'csv', partitionColumns: ['ex_date'], primaryKey: ['ticker', 'ex_date'],
        schema: [{ name: 'ticker', type: 'string', nullable: false, classification: 'public' }, { name: 'ex_date', type: 'date', nullable: false, classification: 'public' },
          { name: 'amount', type: 'decimal(12,4)', classification: 'public' }],
      });
    },
    widens: /standardized\.dividends\./,
  },
  {
    name: 'add a persona',
    change: (f) => { f.lobs[FINANCE].personas.push({ name: 'auditor', layers: ['standardized'], classifications: ['public'] }); },
    widens: /^acme-dev-finance-auditor /,
  },
  {
    name: 'take a classification away from a persona',
    change: (f) => { f.lobs[MARKETING].personas.find((p: any) => p.name === 'analyst').classifications = ['public', 'internal']; },
    intended: [/^dev\/marketing-governance: (replace|destroy) analysttables(select|describe) /],
    narrows: /^acme-dev-marketing-analyst standardized\.(leads\.(company|score)|accounts\.(name|annual_revenue))$/,
  },
  {
    name: 'give a persona a layer',
    change: (f) => { f.lobs[FINANCE].personas.find((p: any) => p.name === 'bi-reader').layers = ['conformed', 'enriched']; },
    intended: [/^dev\/finance-governance: (replace|destroy) bireader(tables|databases)(select|describe) /],
    widens: /^acme-dev-finance-bi-reader conformed\./,
  },
  {
    name: 'change a row filter',
    change: (f) => { f.lobs[MARKETING].personas.find((p: any) => p.name === 'emea-analyst').rowFilters[0].expression = "region = 'APAC'"; },
    intended: [EMEA_FILTER],
    widens: /^acme-dev-marketing-emea-analyst standardized\.leads\.\w+ rows: region = 'APAC'$/,
    narrows: /^acme-dev-marketing-emea-analyst standardized\.leads\.\w+ rows: region = 'EMEA'$/,
  },
  {
    name: 'add a line of business',
    // As `npm run new-lob -- treasury` writes it.
    change: (f) => {
      const template = fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'lob-template.yaml'), 'utf8');
      f.lobs['config/lobs/treasury.yaml'] = parse(template.replace(/__NAME__/g, 'treasury'));
    },
    widens: /^acme-dev-treasury-/,
  },
];

describe('routine changes to a live lake', () => {
  const base = lakeOf(sampleFixture());

  test('the base lake keeps every access rule', () => {
    expect(accessViolations(base.config, base.access)).toEqual([]);
  });

  test.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
    const changed = sampleFixture();
    scenario.change(changed);
    const other = lakeOf(changed);
    const [before, after] = scenario.reverse ? [other, base] : [base, other];

    const unintended = riskyChanges(before.stacks, after.stacks)
      .filter((change: RiskyChange) => !(scenario.intended ?? []).some((pattern) => pattern.test(describeChange(change))));
    expect(unintended.map(describeChange)).toEqual([]);

    const was = readable(before.access);
    const now = readable(after.access);
    const gained = [...now].filter((entry) => !was.has(entry));
    const lost = [...was].filter((entry) => !now.has(entry));
    expect(gained.filter((entry) => !scenario.widens?.test(entry))).toEqual([]);
    expect(lost.filter((entry) => !scenario.narrows?.test(entry))).toEqual([]);
    if (scenario.widens) expect(gained.length).toBeGreaterThan(0);
    if (scenario.narrows) expect(lost.length).toBeGreaterThan(0);
    expect(accessViolations(after.config, after.access)).toEqual([]);
  });
});

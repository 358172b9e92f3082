/**
 * Who sees what, from the synthesized templates of the sample app (tools/access/access-matrix.ts),
 * and the rules it must keep: no persona sees a column its classifications do not clear (by the
 * tag Lake Formation enforces and by what config declares), a persona reads only its layers, and a
 * row-filtered persona reaches its table only through its filter.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type AccessMatrix, accessMatrix, accessViolations } from '../../tools/access/access-matrix';
import { type AssemblyStack, readAssembly } from '../../tools/assembly/cloud-assembly';
import { sampleApp, sampleConfig } from '../helpers/sample-app';

const config = sampleConfig();
const { outdir } = sampleApp();
const stacks = readAssembly(outdir);
const matrices = Object.fromEntries(config.platform.environments.map((environment) => [environment.name, accessMatrix(config, environment.name, stacks)]));
const of = (matrix: AccessMatrix, persona: string, lob: string) => matrix.access.filter((entry) => entry.persona === persona && entry.lob === lob);
const tables = (matrix: AccessMatrix, persona: string, lob: string) => of(matrix, persona, lob).map((entry) => `${entry.layer}.${entry.table}`).sort();

describe.each(config.platform.environments.map((environment) => environment.name))('access in %s', (environment) => {
  const matrix = matrices[environment];

  test('keeps every access rule', () => {
    expect(accessViolations(config, matrix)).toEqual([]);
  });

  test('no persona without pii sees a pii column, in any layer', () => {
    const piiColumns = matrix.access.flatMap((entry) => entry.columns.filter((c) => c.classification === 'pii' || c.declared === 'pii').map(() => entry));
    expect(piiColumns.length).toBeGreaterThan(0);
    for (const entry of piiColumns) {
      const persona = config.lobs.find((lob) => lob.name === entry.lob)!.personas.find((p) => p.name === entry.persona);
      if (persona) expect(persona.classifications).toContain('pii');
    }
    // Marketing's analyst sees leads without full_name, email or phone, and no conformed table (that layer holds pii).
    const leads = of(matrix, 'analyst', 'marketing').find((entry) => entry.table === 'leads' && entry.layer === 'standardized')!;
    expect(leads.columns.map((c) => c.name)).toEqual(['lead_id', 'created_at', 'company', 'score', 'region']);
    expect(tables(matrix, 'analyst', 'marketing').filter((table) => table.startsWith('conformed.'))).toEqual([]);
  });

  test('bi-reader reads the enriched layer only', () => {
    for (const lob of ['finance', 'marketing']) {
      const read = tables(matrix, 'bi-reader', lob);
      expect(read.length).toBeGreaterThan(0);
      expect(read.every((table) => table.startsWith('enriched.'))).toBe(true);
    }
  });

  test('the EMEA analyst reaches leads only through its filter, without pii columns', () => {
    const leads = of(matrix, 'emea-analyst', 'marketing').filter((entry) => entry.table === 'leads' && entry.layer === 'standardized');
    expect(leads).toHaveLength(1);
    expect(leads[0].rowFilter).toBe("region = 'EMEA'");
    expect(leads[0].columns.map((c) => c.name)).toEqual(['lead_id', 'created_at', 'company', 'score', 'region']);
    expect(leads[0].via).toEqual([expect.stringMatching(/filter/)]);
  });

  test('every persona is in the matrix, named by its role', () => {
    for (const lob of config.lobs) for (const persona of lob.personas) expect(of(matrix, persona.name, lob.name).length).toBeGreaterThan(0);
  });
});

describe('the rules catch what a template gets wrong', () => {
  const retagged = (change: (resources: Record<string, any>) => void): AssemblyStack[] => stacks.map((stack) => {
    if (stack.displayName !== 'dev/marketing-governance') return stack;
    const copy = JSON.parse(JSON.stringify(stack.template));
    change(copy.Resources);
    return { ...stack, template: copy };
  });

  test('a pii column tagged internal is reported for every persona it reaches', () => {
    const broken = retagged((resources) => {
      const email = Object.values(resources).find((r: any) => r.Type === 'AWS::LakeFormation::TagAssociation' && r.Properties.Resource.TableWithColumns?.ColumnNames?.[0] === 'email') as any;
      email.Properties.LFTags[0].TagValues = ['internal'];
    });
    const violations = accessViolations(config, accessMatrix(config, 'dev', broken));
    expect(violations).toEqual(expect.arrayContaining([
      'analyst (marketing) can read standardized.leads.email, declared pii, which it is not cleared for',
    ]));
  });

  test('a filtered persona granted the table by tag is reported', () => {
    const broken = retagged((resources) => {
      const association = Object.values(resources).find((r: any) => r.Type === 'AWS::LakeFormation::TagAssociation' && r.Properties.Resource.Table?.Name === 'leads') as any;
      association.Properties.LFTags[0].TagValues = ['unrestricted'];
    });
    expect(accessViolations(config, accessMatrix(config, 'dev', broken))).toEqual(expect.arrayContaining([
      "emea-analyst (marketing) reaches standardized.leads without its row filter; expected only through \"region = 'EMEA'\"",
    ]));
  });
});

describe('npm run access', () => {
  test('prints the matrix, writes it as JSON, exits 0; an unknown environment exits 2', () => {
    const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-access-')), 'access.json');
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/access.ts', ...args], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
    const ok = run('--env', 'dev', '--assembly', outdir, '--json', json);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("standardized.leads [rows: region = 'EMEA']");
    expect(JSON.parse(fs.readFileSync(json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(matrices.dev)));
    const unknown = run('--env', 'staging', '--assembly', outdir);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown environment "staging"; configured: dev, prod');
  });
});

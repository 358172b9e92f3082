import { curatedTables } from '../../lib/config/curated-tables';
import { CLASSIFICATIONS } from '../../lib/config/lob-schema';
import { DATA_LAYERS, dataBucketName, glueDatabaseName, lobRoleName } from '../../lib/config/names';
import { defaultClassification } from '../../lib/governance/lf-tags';
import { lobStackCases, templateOf } from '../helpers/sample-app';
import { describeTemplateSnapshot } from '../helpers/template-snapshot';

const cases = lobStackCases((stacks) => stacks.governance);

type Resource = { Type: string; Properties: any; DependsOn?: string[] };
const LF_TYPES = ['AWS::LakeFormation::Resource', 'AWS::LakeFormation::TagAssociation', 'AWS::LakeFormation::PrincipalPermissions', 'AWS::LakeFormation::DataCellsFilter'];

describe.each(cases)('$environment/$lob-governance', ({ lob, stack, stacks, stage, environment, envConfig, lobConfig, names }) => {
  const template = templateOf(stack);
  const json = template.toJSON();
  const resources = json.Resources as Record<string, Resource>;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const grantResources = ofType('AWS::LakeFormation::PrincipalPermissions').map(([, r]) => r.Properties);
  // One resource per permission; for reading intent, the permissions of one principal on one resource together.
  const grants = Object.values(grantResources.reduce<Record<string, any>>((grouped, grant) => {
    const key = JSON.stringify([grant.Principal, grant.Resource]);
    grouped[key] ??= { ...grant, Permissions: [] };
    grouped[key].Permissions.push(...grant.Permissions);
    return grouped;
  }, {}));
  const roleIdOf = (name: string) => ofType('AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === name)![0];
  const grantsTo = (roleName: string) => grants.filter((g) => JSON.stringify(g.Principal.DataLakePrincipalIdentifier).includes(roleIdOf(roleName)));
  const tagsOf = (grant: any) => Object.fromEntries(grant.Resource.LFTagPolicy.Expression.map((e: any) => [e.TagKey, e.TagValues]));

  describeTemplateSnapshot(json);

  test('registers every data layer through a dedicated data-access role, not the service-linked role', () => {
    const registrations = ofType('AWS::LakeFormation::Resource').map(([, r]) => r.Properties);
    expect(registrations.map((r) => r.ResourceArn)).toEqual(DATA_LAYERS.map((layer) => `arn:aws:s3:::${dataBucketName(names, lob, layer)}`));
    const dataAccessRole = roleIdOf(lobRoleName(names, lob, 'lf-data-access'));
    for (const registration of registrations) {
      expect(registration.UseServiceLinkedRole).toBe(false);
      expect(registration.RoleArn).toEqual({ 'Fn::GetAtt': [dataAccessRole, 'Arn'] });
    }
    expect(resources[dataAccessRole].Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'lakeformation.amazonaws.com' });
  });

  test('the data-access role can use exactly this LoB\'s data buckets and layer keys', () => {
    const policy = ofType('AWS::IAM::ManagedPolicy').find(([, r]) => r.Properties.Description.startsWith('Lake Formation access'))![1];
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    const buckets = DATA_LAYERS.map((layer) => `arn:aws:s3:::${dataBucketName(names, lob, layer)}`);
    // IAM statement resources are order-free (CDK sorts them).
    expect([...statements.find((s) => s.Sid === 'ListLayers').Resource].sort()).toEqual([...buckets].sort());
    expect([...statements.find((s) => s.Sid === 'ReadWriteLayerObjects').Resource].sort()).toEqual(buckets.map((b) => `${b}/*`).sort());
    const keys: string[] = statements.find((s) => s.Sid === 'UseLayerKeys').Resource.map((k: any) => k['Fn::GetStackOutput'].OutputName);
    expect(keys).toHaveLength(DATA_LAYERS.length);
    for (const layer of DATA_LAYERS) expect(keys.filter((k) => k.includes(`${layer.charAt(0).toUpperCase()}${layer.slice(1)}Key`))).toHaveLength(1);
  });

  test('tags each database with environment, lob, layer and a default classification, one association per tag', () => {
    const associations = ofType('AWS::LakeFormation::TagAssociation').map(([, r]) => r.Properties);
    for (const association of associations) expect(association.LFTags).toHaveLength(1);
    for (const layer of DATA_LAYERS) {
      const own = associations.filter((a) => a.Resource.Database?.Name === glueDatabaseName(names, lob, layer));
      expect(Object.fromEntries(own.map((a) => [a.LFTags[0].TagKey, a.LFTags[0].TagValues]))).toEqual({
        environment: [environment], lob: [lob], layer: [layer], classification: [defaultClassification(layer, lobConfig)], row_access: ['unrestricted'],
      });
      expect(own).toHaveLength(5);
    }
  });

  test('tags every declared column with exactly its configured classification', () => {
    const columnTags = ofType('AWS::LakeFormation::TagAssociation').map(([, r]) => r.Properties).filter((a) => a.Resource.TableWithColumns);
    for (const dataset of lobConfig.datasets) {
      for (const column of dataset.schema) {
        const tagged = columnTags.filter((a) => a.Resource.TableWithColumns.Name === dataset.name && a.Resource.TableWithColumns.ColumnNames.includes(column.name));
        expect(tagged.map((a) => a.LFTags)).toEqual([[{ CatalogId: envConfig.account, TagKey: 'classification', TagValues: [column.classification] }]]);
        // One association per column: tagging a new column never replaces another's.
        expect(tagged[0].Resource.TableWithColumns.ColumnNames).toEqual([column.name]);
      }
    }
  });

  test.each(lobConfig.personas.map((p) => [p.name, p] as const))('persona %s is granted by LF-tag expressions over its layers and classifications', (_name, persona) => {
    const personaGrants = grantsTo(lobRoleName(names, lob, persona.name));
    const tableGrant = personaGrants.find((g) => g.Resource.LFTagPolicy?.ResourceType === 'TABLE')!;
    const tags = tagsOf(tableGrant);
    expect(tags).toMatchObject({ environment: [environment], lob: [lob], layer: persona.layers, classification: persona.classifications });
    expect(tags.row_access).toEqual(persona.rowFilters.length > 0 ? ['unrestricted'] : undefined);
    expect(tableGrant.Permissions).toEqual(persona.write ? ['SELECT', 'DESCRIBE', 'INSERT', 'DELETE', 'ALTER'] : ['SELECT', 'DESCRIBE']);
    const locationGrants = personaGrants.filter((g) => g.Resource.DataLocation);
    expect(locationGrants.map((g) => g.Resource.DataLocation.ResourceArn)).toEqual(
      persona.write ? persona.layers.map((layer) => `arn:aws:s3:::${dataBucketName(names, lob, layer)}`) : [],
    );
  });

  test('no persona without pii access can select pii columns, and bi-reader sees only enriched', () => {
    for (const persona of lobConfig.personas.filter((p) => !p.classifications.includes('pii'))) {
      const tableGrant = grantsTo(lobRoleName(names, lob, persona.name)).find((g) => g.Resource.LFTagPolicy?.ResourceType === 'TABLE')!;
      expect(tagsOf(tableGrant).classification).not.toContain('pii');
    }
    const biReader = grantsTo(lobRoleName(names, lob, 'bi-reader')).find((g) => g.Resource.LFTagPolicy?.ResourceType === 'TABLE')!;
    expect(tagsOf(biReader).layer).toEqual(['enriched']);
  });

  test('row filters become data cells filters that hide the columns the persona may not see', () => {
    const filters = ofType('AWS::LakeFormation::DataCellsFilter').map(([, r]) => r.Properties);
    const expected = lobConfig.personas.flatMap((persona) => persona.rowFilters.map((filter) => {
      const dataset = lobConfig.datasets.find((d) => d.name === filter.dataset)!;
      return {
        // Named by what it filters, so a changed filter is a new filter.
        Name: expect.stringMatching(new RegExp(`^${persona.name}-${dataset.name}-[0-9a-f]{8}$`)),
        TableCatalogId: envConfig.account,
        DatabaseName: glueDatabaseName(names, lob, 'standardized'),
        TableName: dataset.name,
        RowFilter: { FilterExpression: filter.expression },
        ColumnWildcard: { ExcludedColumnNames: dataset.schema.filter((c) => !persona.classifications.includes(c.classification)).map((c) => c.name) },
      };
    }));
    expect(filters).toEqual(expected);
    if (lob === 'marketing') {
      expect(filters[0].RowFilter.FilterExpression).toBe("region = 'EMEA'");
      expect(filters[0].ColumnWildcard.ExcludedColumnNames).toEqual(['full_name', 'email', 'phone']);
      const filteredTableTag = ofType('AWS::LakeFormation::TagAssociation').map(([, r]) => r.Properties).find((a) => a.Resource.Table?.Name === 'leads');
      expect(filteredTableTag.LFTags[0]).toMatchObject({ TagKey: 'row_access', TagValues: ['filtered'] });
    }
  });

  test('grants are never wildcards: no ALL, no catalog-wide or table-wildcard resources, no grant option; one permission each', () => {
    for (const grant of grantResources) expect(grant.Permissions).toHaveLength(1);
    for (const grant of grants) {
      expect(grant.Permissions).not.toContain('ALL');
      expect(grant.PermissionsWithGrantOption).toEqual([]);
      expect(grant.Resource.Catalog).toBeUndefined();
      expect(grant.Resource.Table?.TableWildcard).toBeUndefined();
      expect(Object.keys(grant.Resource)).toEqual([expect.stringMatching(/^(LFTagPolicy|DataLocation|DataCellsFilter)$/)]);
    }
  });

  test('crawlers may maintain raw tables and read the raw location, nothing else', () => {
    const crawlerArn = `arn:aws:iam::${envConfig.account}:role/${lobRoleName(names, lob, 'crawler')}`;
    const crawlerGrants = grants.filter((g) => g.Principal.DataLakePrincipalIdentifier === crawlerArn);
    expect(crawlerGrants.map((g) => (g.Resource.LFTagPolicy ? tagsOf(g).layer : g.Resource.DataLocation.ResourceArn))).toEqual([
      ['raw'], ['raw'], `arn:aws:s3:::${dataBucketName(names, lob, 'raw')}`,
    ]);
  });

  test('curation jobs read standardized and keep conformed and enriched without ever dropping a table; curated databases are as sensitive as their tables', () => {
    const curationArn = `arn:aws:iam::${envConfig.account}:role/${lobRoleName(names, lob, 'curation')}`;
    const curation = grants.filter((g) => g.Principal.DataLakePrincipalIdentifier === curationArn);
    expect(curation.filter((g) => g.Resource.LFTagPolicy).map((g) => [g.Resource.LFTagPolicy.ResourceType, tagsOf(g).layer, g.Permissions])).toEqual([
      ['DATABASE', ['standardized'], ['DESCRIBE']],
      ['TABLE', ['standardized'], ['SELECT', 'DESCRIBE']],
      ['DATABASE', ['conformed', 'enriched'], ['DESCRIBE', 'CREATE_TABLE', 'ALTER']],
      ['TABLE', ['conformed', 'enriched'], ['SELECT', 'DESCRIBE', 'INSERT', 'DELETE', 'ALTER']],
    ]);
    for (const grant of curation) expect(grant.Permissions).not.toContain('DROP');
    expect(curation.filter((g) => g.Resource.DataLocation).map((g) => g.Resource.DataLocation.ResourceArn)).toEqual(
      ['conformed', 'enriched'].map((layer) => `arn:aws:s3:::${dataBucketName(names, lob, layer as 'conformed')}`));
    // The jobs create the curated tables after deploy, so their databases carry their most sensitive column's classification.
    for (const layer of ['conformed', 'enriched'] as const) {
      const ranks = curatedTables(lobConfig).filter((table) => table.layer === layer).flatMap((table) => table.columns.map((c) => CLASSIFICATIONS.indexOf(c.classification)));
      expect(defaultClassification(layer, lobConfig)).toBe(CLASSIFICATIONS[Math.max(...ranks)]);
    }
  });

  test('every Lake Formation change is chained: registrations, then tags, then filters and grants, one at a time', () => {
    const lfIds = Object.keys(resources).filter((id) => LF_TYPES.includes(resources[id].Type));
    const chain: string[] = [];
    let next = lfIds.find((id) => !(resources[id].DependsOn ?? []).some((dep) => lfIds.includes(dep)));
    while (next) {
      chain.push(next);
      const current: string = next;
      const followers = lfIds.filter((id) => (resources[id].DependsOn ?? []).filter((dep) => lfIds.includes(dep)).includes(current));
      expect(followers.length).toBeLessThanOrEqual(1);
      next = followers[0];
    }
    expect(chain).toHaveLength(lfIds.length);
    for (const id of chain.slice(1)) expect((resources[id].DependsOn ?? []).filter((dep) => lfIds.includes(dep))).toHaveLength(1);
    const kinds = chain.map((id) => resources[id].Type);
    const lastOf = (type: string) => kinds.lastIndexOf(type);
    const firstOf = (type: string) => kinds.indexOf(type);
    expect(lastOf('AWS::LakeFormation::Resource')).toBeLessThan(firstOf('AWS::LakeFormation::TagAssociation'));
    expect(lastOf('AWS::LakeFormation::TagAssociation')).toBeLessThan(firstOf('AWS::LakeFormation::PrincipalPermissions'));
  });

  test('deploys after the catalog and the account\'s Lake Formation settings and tags', () => {
    expect(stack.dependencies).toContain(stacks.catalog);
    if (stage.platformStack) expect(stack.dependencies).toContain(stage.platformStack);
  });

  test('classifications used in grants and tags are the configured ones', () => {
    for (const grant of grants.filter((g) => g.Resource.LFTagPolicy)) {
      for (const value of tagsOf(grant).classification ?? []) expect(CLASSIFICATIONS).toContain(value);
    }
  });
});

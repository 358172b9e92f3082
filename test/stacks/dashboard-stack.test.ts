import { Match, Template } from 'aws-cdk-lib/assertions';
import { curatedTable } from '../../lib/config/curated-tables';
import { glueDatabaseName, lobRoleName, quickSightDataSetId } from '../../lib/config/names';
import { publishedTables, quickSightType, spiceDataSetIds } from '../../lib/stacks/dashboard-stack';
import { FINANCE, configErrorOf, parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { lobStackCases, synthesizedApp, templateOf } from '../helpers/sample-app';
import { describeTemplateSnapshot } from '../helpers/template-snapshot';

test('only LoBs that enable it get a dashboard stack', () => {
  for (const c of lobStackCases((stacks) => stacks.dashboard)) expect(c.stack !== undefined).toBe(c.lobConfig.dashboard.enabled);
});

describe.each(lobStackCases((stacks) => stacks.dashboard).filter((c) => c.stack))('$environment/$lob-dashboard', ({ lob, stack, stacks, names, lobConfig, envConfig }) => {
  const template = templateOf(stack!);
  const tables = lobConfig.curated.enriched.map((table) => table.name);

  describeTemplateSnapshot(template.toJSON());

  test('the Athena data source runs as the dashboard persona, in its workgroup, over SSL', () => {
    template.hasResourceProperties('AWS::QuickSight::DataSource', {
      Type: 'ATHENA',
      DataSourceParameters: { AthenaParameters: {
        WorkGroup: `acme-${names.environment}-${lob}-${lobConfig.dashboard.persona}`,
        RoleArn: `arn:aws:iam::${names.account}:role/${lobRoleName(names, lob, lobConfig.dashboard.persona)}`,
      } },
      SslProperties: { DisableSsl: false },
      Permissions: envConfig.quickSight!.principals.map((principal) => Match.objectLike({ Principal: principal })),
    });
  });

  test.each(tables)('dataset %s declares the columns of the table\'s declaration, under the shared dataset id', (table) => {
    expect(quickSightDataSetId(names, lob, table)).toBe(`acme-${names.environment}-${lob}-bi-${table.replace(/_/g, '-')}`);
    template.hasResourceProperties('AWS::QuickSight::DataSet', {
      DataSetId: quickSightDataSetId(names, lob, table),
      ImportMode: lobConfig.dashboard.importMode,
      PhysicalTableMap: Match.objectLike({ [table.replace(/_/g, '')]: { RelationalTable: Match.objectLike({
        Schema: glueDatabaseName(names, lob, 'enriched'), Name: table,
        InputColumns: curatedTable(lobConfig, 'enriched', table).columns.map((c) => ({ Name: c.name, Type: quickSightType(c.type) })),
      }) } }),
    });
  });

  test('SPICE datasets have no refresh schedule and a deploy does not wait for their ingestion', () => {
    expect(lobConfig.dashboard.importMode).toBe('SPICE');
    template.resourceCountIs('AWS::QuickSight::RefreshSchedule', 0);
    const dataSets = Object.values(template.findResources('AWS::QuickSight::DataSet')).map((r: any) => r.Properties);
    expect(dataSets).toHaveLength(publishedTables(lobConfig).length);
    for (const dataSet of dataSets) expect(dataSet.IngestionWaitPolicy).toEqual({ WaitForSpiceIngestion: false });
  });

  test('the curation flow of the same environment ingests exactly these SPICE datasets, once the enriched tables are written', () => {
    const dataSetIds = Object.values(template.findResources('AWS::QuickSight::DataSet')).map((r: any) => r.Properties.DataSetId);
    expect(spiceDataSetIds(names, lobConfig).sort()).toEqual(dataSetIds.sort());
    const [machine] = Object.values(Template.fromStack(stacks.curation).findResources('AWS::StepFunctions::StateMachine')) as any[];
    const parts = machine.Properties.DefinitionString['Fn::Join'][1];
    const definition = JSON.parse(parts.map((part: unknown) => (typeof part === 'string' ? part : 'REF')).join(''));
    expect(definition.States.Enriched.Next).toBe('Refresh SPICE');
    const ingested = definition.States['Refresh SPICE'].Branches.flatMap((branch: any) => Object.values(branch.States).map((task: any) => task.Parameters.DataSetId));
    expect(ingested.sort()).toEqual(dataSetIds.sort());
  });

  test('the dashboard has a sheet per table, with a trend where there are dates and measures', () => {
    const [dashboard] = Object.values(template.findResources('AWS::QuickSight::Dashboard')) as any[];
    const sheets = dashboard.Properties.Definition.Sheets;
    expect(sheets.map((s: any) => s.Name)).toEqual(tables);
    const metrics = sheets.find((s: any) => s.Name === 'stock_metrics');
    if (metrics) {
      const trend = metrics.Visuals.find((v: any) => v.LineChartVisual).LineChartVisual.ChartConfiguration.FieldWells.LineChartAggregatedFieldWells;
      expect(trend.Category[0].DateDimensionField.Column.ColumnName).toBe('date');
      expect(trend.Values.map((v: any) => v.NumericalMeasureField.Column.ColumnName)).toEqual(['close', 'daily_return', 'ma_5', 'ma_20']);
    }
  });
});

test('the dashboard persona trusts QuickSight; row-level security applies a rules dataset', () => {
  const fixture = sampleFixture();
  fixture.lobs[FINANCE].dashboard.rowLevelSecurity = { rulesTable: 'fx_cross', tables: ['stock_metrics'] };
  const { stages } = synthesizedApp(parseFixture(fixture));
  const stacks = stages[0].lobStacks.get('finance')!;
  const dashboard = Template.fromStack(stacks.dashboard!);
  const rules = Object.entries(dashboard.findResources('AWS::QuickSight::DataSet')).find(([, r]: any) => r.Properties.Name.includes('fx_cross'))![0];
  dashboard.hasResourceProperties('AWS::QuickSight::DataSet', {
    Name: Match.stringLikeRegexp('stock_metrics'),
    RowLevelPermissionDataSet: { Arn: { 'Fn::GetAtt': [rules, 'Arn'] }, PermissionPolicy: 'GRANT_ACCESS', FormatVersion: 'VERSION_2', Status: 'ENABLED' },
  });
  Template.fromStack(stacks.governance).hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'acme-dev-finance-bi-reader',
    AssumeRolePolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'quicksight.amazonaws.com' } })]) },
  });
});

test('refreshTimeOfDay is no longer a dashboard setting: the curation flow refreshes SPICE', () => {
  expect(configErrorOf((f) => { f.lobs[FINANCE].dashboard.refreshTimeOfDay = '05:00'; })).toBe(
    'config/lobs/finance.yaml: dashboard.refreshTimeOfDay: unknown key; check its spelling and placement against config/schema (docs/configuration.md)',
  );
});

test('a dashboard in an environment without QuickSight settings is a config error', () => {
  expect(configErrorOf((f) => { delete f.platform.environments[1].quickSight; })).toBe(
    'config/lobs/finance.yaml: dashboard.enabled: environment prod has no quickSight settings in config/platform.yaml; add them (the account needs a QuickSight subscription) or disable the dashboard',
  );
});

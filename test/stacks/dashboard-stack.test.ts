import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { glueDatabaseName, lobRoleName } from '../../lib/config/names';
import { sqlFiles } from '../../lib/local/curated-layers';
import { curatedColumns } from '../../lib/local/curated-schemas';
import { quickSightType } from '../../lib/stacks/dashboard-stack';
import { FINANCE, configErrorOf, parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { lobStackCases, synthesizedApp, templateOf } from '../helpers/sample-app';

test('only LoBs that enable it get a dashboard stack', () => {
  for (const c of lobStackCases((stacks) => stacks.dashboard)) expect(c.stack !== undefined).toBe(c.lobConfig.dashboard.enabled);
});

describe.each(lobStackCases((stacks) => stacks.dashboard).filter((c) => c.stack))('$environment/$lob-dashboard', ({ lob, stack, names, lobConfig, envConfig }) => {
  const template = templateOf(stack!);
  const tables = sqlFiles(lob, 'enriched').map((f) => f.table);

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

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

  test.each(tables)('dataset %s declares the columns its SQL produces and refreshes daily', (table) => {
    template.hasResourceProperties('AWS::QuickSight::DataSet', {
      ImportMode: lobConfig.dashboard.importMode,
      PhysicalTableMap: Match.objectLike({ [table.replace(/_/g, '')]: { RelationalTable: Match.objectLike({
        Schema: glueDatabaseName(names, lob, 'enriched'), Name: table,
        InputColumns: curatedColumns(lob, 'enriched', table).map((c) => ({ Name: c.name, Type: quickSightType(c.type) })),
      }) } }),
    });
    template.hasResourceProperties('AWS::QuickSight::RefreshSchedule', {
      DataSetId: `acme-${names.environment}-${lob}-bi-${table.replace(/_/g, '-')}`,
      Schedule: Match.objectLike({ ScheduleFrequency: { Interval: 'DAILY', TimeOfTheDay: lobConfig.dashboard.refreshTimeOfDay, TimeZone: 'UTC' } }),
    });
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

test('the curated column files are up to date (npm run sql:schemas -- --check)', () => {
  const { status, stderr } = spawnSync('npm', ['run', 'sql:schemas', '--', '--check'], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
  expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
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

test('a dashboard in an environment without QuickSight settings is a config error', () => {
  expect(configErrorOf((f) => { delete f.platform.environments[1].quickSight; })).toBe(
    'config/lobs/finance.yaml: dashboard.enabled: environment prod has no quickSight settings in config/platform.yaml; add them (the account needs a QuickSight subscription) or disable the dashboard',
  );
});

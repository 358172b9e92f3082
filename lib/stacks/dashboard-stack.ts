/**
 * QuickSight for one line of business in one environment (when `dashboard.enabled`): an Athena
 * data source that runs in the dashboard persona's workgroup with that persona's role (so Lake
 * Formation grants decide what QuickSight sees), a dataset per enriched table with the columns its
 * declaration gives it (SPICE or direct query), optional row-level security from a rules table,
 * and a dashboard built from a definition in code: per table, a sheet with the table and, where the
 * table has a date and measures, their daily trend. The account needs a QuickSight subscription
 * (docs/analytics.md, "Dashboards").
 *
 * SPICE datasets have no refresh schedule: the curation state machine starts their ingestion each
 * time the enriched tables are written (see spiceDataSetIds). Nor does a deploy wait for an
 * ingestion, since the enriched tables only exist once the first curation run has created them.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as quicksight from 'aws-cdk-lib/aws-quicksight';
import type { Construct } from 'constructs';
import { type ResolvedColumn, curatedTable } from '../config/curated-tables';
import type { LobConfig } from '../config/lob-schema';
import {
  type NameScope, datasetSlug, glueDatabaseName, lobRoleName, personaWorkgroupName, quickSightDashboardId, quickSightDataSetId, quickSightDataSourceId,
} from '../config/names';
import { roleArn } from '../permissions';
import type { EnvironmentConfig } from '../config/platform-schema';

export interface DashboardStackProps extends StackProps {
  readonly names: NameScope;
  readonly lob: LobConfig;
  readonly quickSight: NonNullable<EnvironmentConfig['quickSight']>;
}

const DATA_SOURCE_ACTIONS = ['quicksight:DescribeDataSource', 'quicksight:DescribeDataSourcePermissions', 'quicksight:PassDataSource',
  'quicksight:UpdateDataSource', 'quicksight:DeleteDataSource', 'quicksight:UpdateDataSourcePermissions'];
const DATA_SET_ACTIONS = ['quicksight:DescribeDataSet', 'quicksight:DescribeDataSetPermissions', 'quicksight:PassDataSet', 'quicksight:DescribeIngestion',
  'quicksight:ListIngestions', 'quicksight:UpdateDataSet', 'quicksight:DeleteDataSet', 'quicksight:CreateIngestion', 'quicksight:CancelIngestion',
  'quicksight:UpdateDataSetPermissions'];
const DASHBOARD_ACTIONS = ['quicksight:DescribeDashboard', 'quicksight:ListDashboardVersions', 'quicksight:UpdateDashboardPermissions',
  'quicksight:QueryDashboard', 'quicksight:UpdateDashboard', 'quicksight:DeleteDashboard', 'quicksight:DescribeDashboardPermissions',
  'quicksight:UpdateDashboardPublishedVersion'];

/** QuickSight's input column types for the configured column types. */
export function quickSightType(type: string): string {
  if (type.startsWith('decimal') || type === 'double') return 'DECIMAL';
  switch (type) {
    case 'int': case 'bigint': return 'INTEGER';
    case 'date': case 'timestamp': return 'DATETIME';
    case 'boolean': return 'BOOLEAN';
    default: return 'STRING';
  }
}

type Column = Pick<ResolvedColumn, 'name' | 'type'>;

/** The enriched tables the dashboard publishes as datasets: the row-level security rules first, if any. */
export function publishedTables(lob: LobConfig): string[] {
  const rulesTable = lob.dashboard.rowLevelSecurity?.rulesTable;
  const tables = (lob.dashboard.tables ?? lob.curated.enriched.map((table) => table.name)).filter((table) => table !== rulesTable);
  return [...(rulesTable ? [rulesTable] : []), ...tables];
}

/** Ids of the datasets QuickSight imports into SPICE, which the curation flow refreshes; none for direct query. */
export function spiceDataSetIds(names: Pick<NameScope, 'organisation' | 'environment'>, lob: LobConfig): string[] {
  return lob.dashboard.importMode === 'SPICE' ? publishedTables(lob).map((table) => quickSightDataSetId(names, lob.name, table)) : [];
}

export class DashboardStack extends Stack {
  public readonly dataSource: quicksight.CfnDataSource;
  public readonly dataSets = new Map<string, quicksight.CfnDataSet>();
  public readonly dashboard: quicksight.CfnDashboard;

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, props);
    const { names, lob, quickSight } = props;
    const settings = lob.dashboard;
    const permissions = (actions: string[]) => quickSight.principals.map((principal) => ({ principal, actions }));
    const database = glueDatabaseName(names, lob.name, 'enriched');

    this.dataSource = new quicksight.CfnDataSource(this, 'AthenaSource', {
      awsAccountId: this.account,
      dataSourceId: quickSightDataSourceId(names, lob.name),
      name: `${lob.name} lake (${names.environment})`,
      type: 'ATHENA',
      dataSourceParameters: {
        athenaParameters: {
          workGroup: personaWorkgroupName(names, lob.name, settings.persona),
          roleArn: roleArn(this, lobRoleName(names, lob.name, settings.persona)),
        },
      },
      sslProperties: { disableSsl: false },
      permissions: permissions(DATA_SOURCE_ACTIONS),
    });

    const columnsOf = (table: string): Column[] => curatedTable(lob, 'enriched', table).columns.map(({ name, type }) => ({ name, type }));
    const dataSet = (table: string, columns: readonly Column[], rules?: quicksight.CfnDataSet) => new quicksight.CfnDataSet(this, `${table}-dataset`, {
      awsAccountId: this.account,
      dataSetId: quickSightDataSetId(names, lob.name, table),
      name: `${lob.name} ${table} (${names.environment})`,
      importMode: settings.importMode,
      ...(settings.importMode === 'SPICE' ? { ingestionWaitPolicy: { waitForSpiceIngestion: false } } : {}),
      physicalTableMap: {
        [table.replace(/_/g, '')]: {
          relationalTable: {
            dataSourceArn: this.dataSource.attrArn, catalog: 'AwsDataCatalog', schema: database, name: table,
            inputColumns: columns.map((column) => ({ name: column.name, type: quickSightType(column.type) })),
          },
        },
      },
      rowLevelPermissionDataSet: rules ? { arn: rules.attrArn, permissionPolicy: 'GRANT_ACCESS', formatVersion: 'VERSION_2', status: 'ENABLED' } : undefined,
      permissions: permissions(DATA_SET_ACTIONS),
    });

    const rls = settings.rowLevelSecurity;
    const rules = rls ? dataSet(rls.rulesTable, columnsOf(rls.rulesTable)) : undefined;
    const tables = publishedTables(lob).filter((table) => table !== rls?.rulesTable);
    const columnsByTable = new Map(tables.map((table) => [table, columnsOf(table)]));
    for (const table of tables) {
      this.dataSets.set(table, dataSet(table, columnsByTable.get(table)!, rls?.tables.includes(table) ? rules : undefined));
    }

    this.dashboard = new quicksight.CfnDashboard(this, 'Dashboard', {
      awsAccountId: this.account,
      dashboardId: quickSightDashboardId(names, lob.name),
      name: `${lob.name} (${names.environment})`,
      permissions: permissions(DASHBOARD_ACTIONS),
      dashboardPublishOptions: { adHocFilteringOption: { availabilityStatus: 'ENABLED' }, exportToCsvOption: { availabilityStatus: 'ENABLED' } },
      definition: {
        dataSetIdentifierDeclarations: tables.map((table) => ({ identifier: table, dataSetArn: this.dataSets.get(table)!.attrArn })),
        sheets: tables.map((table) => sheetOf(table, columnsByTable.get(table)!)),
      },
    });
  }
}

/** One sheet per table: its daily trend when it has a date and measures, and the table itself. */
function sheetOf(table: string, columns: readonly Column[]): quicksight.CfnDashboard.SheetDefinitionProperty {
  const id = datasetSlug(table);
  const column = (name: string) => ({ dataSetIdentifier: table, columnName: name });
  const title = (text: string) => ({ visibility: 'VISIBLE', formatText: { plainText: text } });
  const date = columns.find((c) => c.type === 'date' || c.type === 'timestamp');
  const measures = columns.filter((c) => c.type === 'double' || c.type.startsWith('decimal'));
  const visuals: quicksight.CfnDashboard.VisualProperty[] = [];
  if (date && measures.length > 0) {
    visuals.push({
      lineChartVisual: {
        visualId: `${id}-trend`,
        title: title(`${table}: daily trend`),
        chartConfiguration: {
          fieldWells: {
            lineChartAggregatedFieldWells: {
              category: [{ dateDimensionField: { fieldId: `${id}-trend-${date.name}`, column: column(date.name), dateGranularity: 'DAY' } }],
              values: measures.map((measure) => ({
                numericalMeasureField: { fieldId: `${id}-trend-${measure.name}`, column: column(measure.name), aggregationFunction: { simpleNumericalAggregation: 'AVERAGE' } },
              })),
            },
          },
        },
      },
    });
  }
  visuals.push({
    tableVisual: {
      visualId: `${id}-table`,
      title: title(table),
      chartConfiguration: {
        fieldWells: { tableUnaggregatedFieldWells: { values: columns.map((c) => ({ fieldId: `${id}-table-${c.name}`, column: column(c.name) })) } },
      },
    },
  });
  return { sheetId: id, name: table, visuals };
}

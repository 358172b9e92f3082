import {
  cloudFormationExecutionRoleName, curatedJobName, datasetResourceName, datasetRoleName, datasetSlug, firehoseLogGroupName, lambdaLogGroupName,
  layerKeyAlias, lobKeyAlias, parameterName, parameterPrefix, pipelineArtifactsKeyAlias, personaWorkgroupName, quickSightDashboardId, quickSightDataSetId,
  quickSightDataSourceId, stateMachineLogGroupName,
} from '../../lib/config/names';

const scope = { organisation: 'acme', environment: 'dev' };

describe('derived names', () => {
  it('turns every underscore of a dataset or table name into a hyphen', () => {
    expect(datasetSlug('web_click_events')).toBe('web-click-events');
    expect(datasetSlug('prices')).toBe('prices');
  });

  it('names per-dataset resources and roles with the dataset slug, then the purpose', () => {
    expect(datasetResourceName(scope, 'marketing', 'web_events')).toBe('acme-dev-marketing-web-events');
    expect(datasetResourceName(scope, 'marketing', 'web_events', 'processor')).toBe('acme-dev-marketing-web-events-processor');
    expect(datasetRoleName(scope, 'marketing', 'web_events', 'delivery')).toBe('acme-dev-marketing-web-events-delivery');
  });

  it('names curated jobs by layer and table', () => {
    expect(curatedJobName(scope, 'finance', 'enriched', 'moving_averages')).toBe('acme-dev-finance-enriched-moving-averages');
  });

  it('gives every key of a LoB an alias under alias/<org>/<env>/<lob>/', () => {
    expect(lobKeyAlias(scope, 'finance', 'ingest')).toBe('alias/acme/dev/finance/ingest');
    expect(layerKeyAlias(scope, 'finance', 'raw')).toBe('alias/acme/dev/finance/raw');
    expect(pipelineArtifactsKeyAlias('acme')).toBe('acme-lakeworks-pipeline-artifacts');
  });

  it('puts log groups under the prefixes each service writes to', () => {
    expect(lambdaLogGroupName('acme-dev-finance-transform')).toBe('/aws/lambda/acme-dev-finance-transform');
    expect(firehoseLogGroupName('acme-dev-marketing-web-events')).toBe('/aws/kinesisfirehose/acme-dev-marketing-web-events');
    expect(stateMachineLogGroupName('acme-dev-finance-curation')).toBe('/aws/vendedlogs/states/acme-dev-finance-curation');
  });

  it('puts SSM parameters under one prefix per environment and LoB', () => {
    expect(parameterPrefix(scope, 'finance')).toBe('/acme/dev/finance');
    expect(parameterName(scope, 'finance', 'buckets/raw')).toBe('/acme/dev/finance/buckets/raw');
  });

  it('names QuickSight and Athena resources of a LoB', () => {
    expect(quickSightDataSourceId(scope, 'finance')).toBe('acme-dev-finance-bi-athena');
    expect(quickSightDashboardId(scope, 'finance')).toBe('acme-dev-finance-bi-dashboard');
    expect(quickSightDataSetId(scope, 'finance', 'daily_returns')).toBe('acme-dev-finance-bi-daily-returns');
    expect(personaWorkgroupName(scope, 'finance', 'analyst')).toBe('acme-dev-finance-analyst');
  });

  it('spells the CDK bootstrap execution role as cdk bootstrap creates it', () => {
    expect(cloudFormationExecutionRoleName('hnb659fds', '111122223333', 'eu-west-1')).toBe('cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1');
  });
});

/**
 * The API source: config rules (each bad input names file, field and what was expected) and the
 * pull the ingest stack deploys for an environment that has its secret. Synthesizing the app runs
 * the security baseline, so a cdk-nag finding fails these tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { dataBucketName, lobRoleName } from '../../lib/config/names';
import { apiPullSpec } from '../../lib/ingest/api-pull-spec';
import { type Fixture, FINANCE, configErrorOf, parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { synthesizedApp } from '../helpers/sample-app';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:alphavantage-AbCdEf';

const stockIndex = (fixture: Fixture) => fixture.lobs[FINANCE].datasets.findIndex((d: any) => d.name === 'stock_prices');
const stock = (fixture: Fixture) => fixture.lobs[FINANCE].datasets[stockIndex(fixture)];
const api = (fixture: Fixture) => stock(fixture).source.api;

describe('config', () => {
  test('the sample pulls daily stock and FX series, iterating symbols and currency pairs', () => {
    const lob = parseFixture(sampleFixture()).lobs.find((l) => l.name === 'finance')!;
    const stockPrices = lob.datasets.find((d) => d.name === 'stock_prices')!;
    const spec = apiPullSpec(stockPrices, stockPrices.source!.api!);
    expect(spec).toMatchObject({
      dataset: 'stock_prices', format: 'json', parameters: { symbol: ['AAPL', 'MSFT', 'AMZN', 'GOOGL', 'IBM'] }, requestsPerMinute: 5, maxAttempts: 5,
      errorFields: ['Note', 'Information', 'Error Message'],
    });
    expect(spec.url).toContain('apikey={secret}');
    expect(lob.datasets.find((d) => d.name === 'fx_rates')!.source!.api!.parameters).toEqual({ from: ['EUR', 'GBP'], to: ['USD'] });
  });

  test('the sample reads both series\' responses as JSON documents, while the datasets keep their file formats', () => {
    const lob = parseFixture(sampleFixture()).lobs.find((l) => l.name === 'finance')!;
    const reading = (name: string) => {
      const dataset = lob.datasets.find((d) => d.name === name)!;
      return { format: dataset.format, pulled: apiPullSpec(dataset, dataset.source!.api!).format, response: dataset.source!.api!.response };
    };
    expect(reading('stock_prices')).toEqual({
      format: 'csv', pulled: 'json',
      response: { format: 'json', json: {
        recordPath: ['Time Series (Daily)', { keyAs: 'date' }],
        fields: { open: ['1. open'], high: ['2. high'], low: ['3. low'], close: ['4. close'], volume: ['5. volume'] },
        documentFields: { ticker: ['Meta Data', '2. Symbol'] },
      } },
    });
    expect(reading('fx_rates')).toMatchObject({
      format: 'nested_json', pulled: 'json',
      response: { format: 'json', json: { recordPath: ['Time Series FX (Daily)', { keyAs: 'date' }], documentFields: { from_currency: ['Meta Data', '2. From Symbol'], to_currency: ['Meta Data', '3. To Symbol'] } } },
    });
  });

  test('the worked example of docs/api-sources.md is a valid dataset', () => {
    const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'api-sources.md'), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(page)![1];
    const fixture = sampleFixture();
    fixture.lobs[FINANCE].datasets.push(...parse(block));
    const dataset = parseFixture(fixture).lobs.find((l) => l.name === 'finance')!.datasets.find((d) => d.name === 'stock_daily')!;
    expect(dataset.source!.api!.environments).toEqual({ dev: { secretArn: SECRET } });
  });

  const at = (fixture: Fixture) => `${FINANCE}: datasets[${stockIndex(fixture)}]`;
  test.each([
    ['a URL template with an unknown parameter', (f: Fixture) => { api(f).url = api(f).url.replace('{symbol}', '{ticker}'); },
      'source.api.url: unknown placeholder {ticker}; expected one of {symbol}, {period}, {secret} (parameters, {period}, {secret})'],
    ['a header with an unknown placeholder', (f: Fixture) => { api(f).headers = { Authorization: 'Bearer {token}' }; },
      'source.api.headers.Authorization: unknown placeholder {token}'],
    ['a parameter no template uses', (f: Fixture) => { api(f).parameters.market = ['US']; }, 'source.api.parameters.market: neither url nor headers use {market}'],
    ['a value that cannot be part of a key', (f: Fixture) => { api(f).parameters.symbol = ['BRK B']; }, 'source.api.parameters.symbol[0]: expected a value of letters, digits'],
    ['a plain http URL', (f: Fixture) => { api(f).url = api(f).url.replace('https:', 'http:'); }, 'source.api.url: expected an https:// URL template'],
    ['more requests than one run can make', (f: Fixture) => { api(f).parameters.symbol = Array.from({ length: 30 }, (_, i) => `S${i}`); },
      'source.api.parameters: 30 requests at 5 per minute take 360 s, more than timeoutSeconds (300, at most 900)'],
    ['a secret that is not a Secrets Manager ARN', (f: Fixture) => { api(f).environments = { dev: { secretArn: 'alphavantage' } }; },
      'source.api.environments.dev.secretArn: expected the ARN of a Secrets Manager secret'],
    ['a secret the environment cannot be granted (another account)', (f: Fixture) => { api(f).environments = { dev: { secretArn: SECRET.replace('111111111111', '999999999999') } }; },
      'source.api.environments.dev.secretArn: expected a secret in environment dev\'s account 111111111111 and region eu-west-1; got one in account 999999999999 and region eu-west-1'],
    ['a secret of an unknown environment', (f: Fixture) => { api(f).environments = { qa: { secretArn: SECRET } }; }, 'source.api.environments.qa: expected one of the environments of platform.yaml'],
    ['a secret no template uses', (f: Fixture) => { api(f).url = api(f).url.replace('&apikey={secret}', ''); api(f).environments = { dev: { secretArn: SECRET } }; },
      'source.api.environments: a secret is named but neither url nor headers use {secret}'],
    ['pagination on CSV responses', (f: Fixture) => { delete api(f).response; api(f).pagination = { nextUrl: ['next'] }; },
      'source.api.pagination: next links are read from JSON documents; expected responses of format json or nested_json, got csv'],
    ['a response field for a column the schema lacks', (f: Fixture) => { api(f).response.json.fields.price = ['4. close']; },
      'source.api.response.json.fields.price: expected a column of this dataset\'s schema; got "price"'],
    ['a JSON response without the path to its records', (f: Fixture) => { delete api(f).response.json.recordPath; },
      'source.api.response.json.recordPath: expected the path to the records for format json'],
    ['a response read as CSV', (f: Fixture) => { api(f).response.format = 'csv'; }, 'source.api.response.format: expected one of json, jsonl, nested_json; got "csv"'],
    ['a nested JSON response without its key columns', (f: Fixture) => { api(f).response = { format: 'nested_json' }; },
      'source.api.response.nestedKeys: expected the list of key columns, outermost first, for format nested_json'],
    ['JSON lines responses with a record path', (f: Fixture) => { api(f).response.format = 'jsonl'; delete api(f).response.json.documentFields; },
      'source.api.response.json.recordPath: only valid with format json: each jsonl line is one record'],
    ['a column given two sources', (f: Fixture) => { api(f).response.json.fields.date = ['date']; },
      'source.api.response.json.fields.date: column "date" already comes from json.recordPath[1].keyAs; a column has one source'],
    ['a stream dataset with an API source', (f: Fixture) => {
      const events = f.lobs['config/lobs/marketing.yaml'].datasets[0];
      events.source = { api: { url: 'https://api.example.com/events?day={period}', schedule: 'cron(0 1 * * ? *)' } };
    }, 'ingest: a dataset with a source is pulled into raw landing/<dataset>/; expected batch, got stream'],
  ])('%s fails with file, field and what was expected', (_name, change, message) => {
    const error = configErrorOf(change);
    expect(error).toContain(message);
    if (!message.startsWith('ingest')) expect(error).toContain(`${at(sampleFixture())}.${message.split(':')[0]}`);
  });
});

describe('deployed pull (dev has the secret; prod has none)', () => {
  const fixture = sampleFixture();
  api(fixture).environments = { dev: { secretArn: SECRET } };
  const app = synthesizedApp(parseFixture(fixture));
  const stage = (name: string) => app.stages.find((s) => s.stageName === name)!;
  const ingest = stage('dev').lobStacks.get('finance')!.ingest!;
  const template = Template.fromStack(ingest);
  const names = { organisation: 'acme', environment: 'dev', account: '111111111111', region: 'eu-west-1' };
  const raw = `arn:aws:s3:::${dataBucketName(names, 'finance', 'raw')}`;

  test('a Lambda on the configured schedule, with the spec bundled and the secret named by ARN only', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
    expect(functions).toHaveLength(1);
    const fn = functions[0].Properties;
    expect(fn).toMatchObject({ Timeout: 300, MemorySize: 512, Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    expect(fn.Environment.Variables).toMatchObject({ PULL_SECRET_ARN: SECRET, RAW_BUCKET: dataBucketName(names, 'finance', 'raw') });
    expect(fn.Environment.Variables.LAKEWORKS_API_PULL).toBeUndefined();
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(30 22 ? * MON-FRI *)', State: 'ENABLED', Targets: [Match.objectLike({ Arn: Match.anyValue() })] });
  });

  test('the role reads that one secret only and writes only the dataset\'s api/ prefixes and its state', () => {
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p: any) => p.Properties.Description.includes('stock_prices API pull')) as any;
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    const secretStatements = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:')));
    expect(secretStatements).toEqual([expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: SECRET })]);
    expect(statements.find((s) => s.Sid === 'DecryptApiSecret').Condition.StringEquals).toEqual({ 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': SECRET });
    const s3 = statements.filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
    expect(s3.flatMap((s) => [s.Resource].flat()).sort()).toEqual([`${raw}/errors/stock_prices/api/*`, `${raw}/landing/stock_prices/api/*`, `${raw}/state/api/stock_prices.json`]);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: lobRoleName(names, 'finance', 'stock-prices-pull'),
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] }),
    });
  });

  test('alarms on kept errors, give-ups, function errors and throttles, to the alerts topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
    expect(alarms.map((a) => a.MetricName).sort()).toEqual(['ApiErrorsKept', 'ApiPullsGaveUp', 'Errors', 'Throttles']);
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
    expect(alarms.find((a) => a.MetricName === 'ApiPullsGaveUp').Dimensions).toEqual(expect.arrayContaining([{ Name: 'dataset', Value: 'stock_prices' }]));
  });

  test('the pull\'s log group is encrypted with the ingest key, which lets CloudWatch Logs use it for *-pull log groups', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('stock-prices-pull$'), KmsKeyId: Match.anyValue() });
    expect(JSON.stringify(template.findResources('AWS::KMS::Key'))).toContain('*-pull');
  });

  test('an environment without a secret deploys no pull and warns which file and field to set', () => {
    const prod = stage('prod').lobStacks.get('finance')!;
    expect(prod.ingest).toBeUndefined();
    Annotations.fromStack(prod.transform).hasWarning('*', Match.stringLikeRegexp(
      'dataset stock_prices: the API pull is disabled in environment prod until a secret is configured: set datasets\\[0\\].source.api.environments.prod.secretArn in config/lobs/finance.yaml'));
  });
});

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AssetStaging, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { curatedTables } from '../../lib/config/curated-tables';
import type { LobConfig } from '../../lib/config/lob-schema';
import { type NameScope, dataBucketName, glueDatabaseName, glueSecurityConfigurationName, lobResourceName } from '../../lib/config/names';
import { datasetRules, ruleset } from '../../lib/curation/dq-ruleset';
import { tableSpecs } from '../../lib/curation/table-spec';
import {
  CONFORMED_ARGUMENTS, CURATE_TABLE_ARGUMENTS, DEFAULT_EXECUTION_INPUT, GLUE_JOB_ARGUMENTS, GLUE_VERSION, ICEBERG_CATALOG, MAINTAIN_TABLES_ARGUMENTS, icebergSparkConf,
} from '../../lib/stacks/curation-stack';
import { spiceDataSetIds } from '../../lib/stacks/dashboard-stack';
import { FINANCE, MARKETING, configErrorOf, parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { lobStackCases, synthesizedApp, templateOf } from '../helpers/sample-app';
import { describeTemplateSnapshot } from '../helpers/template-snapshot';

const GLUE_SCRIPTS = path.join(__dirname, '..', '..', 'glue-scripts');

/** A Python list literal assigned at the top level of a Glue entry point, from its source. */
function scriptList(script: string, name: string): string[] {
  const source = fs.readFileSync(path.join(GLUE_SCRIPTS, 'jobs', script), 'utf8');
  const list = new RegExp(`^${name} = \\[([^\\]]*)\\]`, 'm').exec(source)![1];
  return [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1]).filter((argument) => argument !== 'JOB_NAME');
}

const dashed = (names: readonly string[]) => names.map((name) => `--${name}`);

type Resource = { Type: string; Properties: any; DependsOn?: string[] };
type States = Record<string, any>;

/** The state machine definition; references (only ever inside strings) become REF. */
function definitionOf(template: Template): { StartAt: string; States: States } {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as Resource[];
  const parts = machine.Properties.DefinitionString['Fn::Join']?.[1] ?? [machine.Properties.DefinitionString];
  return JSON.parse(parts.map((part: unknown) => (typeof part === 'string' ? part : 'REF')).join(''));
}

/** The tasks of a Parallel state's branches, by state name. */
function branchTasks(state: any): States {
  return Object.assign({}, ...state.Branches.map((branch: { States: States }) => branch.States));
}

/** Every statement of every managed and inline policy of a template. */
function statementsOf(template: Template): any[] {
  return ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy'].flatMap((type) => Object.values(template.findResources(type))
    .flatMap((policy: any) => policy.Properties.PolicyDocument.Statement));
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function ingestedDataSets(template: Template): string[] {
  const refresh = definitionOf(template).States['Refresh SPICE'];
  return refresh ? Object.values(branchTasks(refresh)).map((task: any) => task.Parameters.DataSetId) : [];
}

test('the Glue entry points and the package they import compile (python3 -m py_compile)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-pyc-'));
  const files = [
    ...fs.readdirSync(path.join(GLUE_SCRIPTS, 'jobs')).map((file) => path.join(GLUE_SCRIPTS, 'jobs', file)),
    ...fs.readdirSync(path.join(GLUE_SCRIPTS, 'src', 'lakeworks_curation')).map((file) => path.join(GLUE_SCRIPTS, 'src', 'lakeworks_curation', file)),
  ].filter((file) => file.endsWith('.py'));
  expect(files.length).toBeGreaterThan(2);
  files.forEach((file, index) => {
    execFileSync('python3', ['-c', 'import py_compile,sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)', file, path.join(out, `${index}.pyc`)]);
  });
});

test('the arguments the stack passes are the ones the entry points read, and its Glue version is glue-runtime.json\'s', () => {
  expect(scriptList('curate_table.py', 'ARGUMENTS')).toEqual([...CURATE_TABLE_ARGUMENTS]);
  expect(scriptList('curate_table.py', 'CONFORMED_ARGUMENTS')).toEqual([...CONFORMED_ARGUMENTS]);
  expect(scriptList('maintain_tables.py', 'ARGUMENTS')).toEqual([...MAINTAIN_TABLES_ARGUMENTS]);
  expect(GLUE_VERSION).toBe(JSON.parse(fs.readFileSync(path.join(GLUE_SCRIPTS, 'glue-runtime.json'), 'utf8')).glueVersion);
  expect(GLUE_VERSION).toBe('5.1');
});

test('the Iceberg catalog is configured under the name the Python code uses, in Glue\'s one-argument --conf form', () => {
  expect(fs.readFileSync(path.join(GLUE_SCRIPTS, 'src', 'lakeworks_curation', 'iceberg_table.py'), 'utf8')).toContain(`CATALOG = "${ICEBERG_CATALOG}"`);
  expect(icebergSparkConf('s3://warehouse/')).toBe('spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions'
    + ' --conf spark.sql.catalog.glue_catalog=org.apache.iceberg.spark.SparkCatalog'
    + ' --conf spark.sql.catalog.glue_catalog.catalog-impl=org.apache.iceberg.aws.glue.GlueCatalog'
    + ' --conf spark.sql.catalog.glue_catalog.io-impl=org.apache.iceberg.aws.s3.S3FileIO'
    + ' --conf spark.sql.catalog.glue_catalog.warehouse=s3://warehouse/');
});

describe.each(lobStackCases((stacks) => stacks.curation))('$environment/$lob-curation', ({ lob, stack, stacks, names, lobConfig, envConfig }) => {
  const template = templateOf(stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type).map((r) => r.Properties);
  const jobs = ofType('AWS::Glue::Job');
  const jobNamed = (name: string) => jobs.find((job) => job.Name === name)!;
  const specs = tableSpecs(lobConfig);
  const bucket = (layer: 'standardized' | 'conformed' | 'enriched') => dataBucketName(names, lob, layer);
  const asset = (id: string) => stack.node.findChild(id) as s3assets.Asset;
  const staging = (id: string) => asset(id).node.findChild('Stage') as AssetStaging;
  const conf = icebergSparkConf(`s3://${bucket('conformed')}/`);
  const maintenanceName = lobResourceName(names, lob, 'table-maintenance');

  describeTemplateSnapshot(template.toJSON());

  test('every declared table has one job with exactly the arguments curate_table.py reads, its spec equal to tableSpecs', () => {
    expect(specs.length).toBeGreaterThan(0);
    expect(jobs.map((job) => job.Name).sort()).toEqual([
      ...specs.map(({ table }) => lobResourceName(names, lob, `${table.layer}-${table.name.replace(/_/g, '-')}`)), maintenanceName,
    ].sort());
    for (const { table, spec } of specs) {
      const job = jobNamed(lobResourceName(names, lob, `${table.layer}-${table.name.replace(/_/g, '-')}`));
      const sql = asset(`${table.layer}-${table.name}-sql`);
      expect(staging(`${table.layer}-${table.name}-sql`).sourcePath).toBe(path.join(GLUE_SCRIPTS, 'sql', lob, table.layer, `${table.name}.sql`));
      expect(job.DefaultArguments).toEqual({
        ...GLUE_JOB_ARGUMENTS,
        '--extra-py-files': asset('CurationPackage').s3ObjectUrl,
        '--conf': conf,
        '--table_spec': JSON.stringify(spec),
        '--sql_path': sql.s3ObjectUrl,
        '--source_database': glueDatabaseName(names, lob, table.layer === 'conformed' ? 'standardized' : 'conformed'),
        '--target_database': glueDatabaseName(names, lob, table.layer),
        '--target_location': `s3://${bucket(table.layer)}/${table.name}/`,
        ...(table.layer === 'conformed' ? { '--standardized_location': `s3://${bucket('standardized')}/` } : {}),
        '--mode': 'incremental',
      });
      expect(JSON.parse(job.DefaultArguments['--table_spec'])).toEqual(JSON.parse(JSON.stringify(spec)));
      // What the entry point reads, plus Glue's own parameters, and nothing else.
      const own = Object.keys(job.DefaultArguments).filter((key) => !(key in GLUE_JOB_ARGUMENTS) && !['--extra-py-files', '--conf'].includes(key));
      expect(own.sort()).toEqual(dashed([...CURATE_TABLE_ARGUMENTS, ...(table.layer === 'conformed' ? CONFORMED_ARGUMENTS : [])]).sort());
    }
  });

  test('jobs run curate_table.py on the runtime\'s Glue version with the layer\'s security configuration, auto-scaling to the configured limits, never retried by Glue', () => {
    for (const { table } of specs) {
      template.hasResourceProperties('AWS::Glue::Job', {
        Name: lobResourceName(names, lob, `${table.layer}-${table.name.replace(/_/g, '-')}`),
        GlueVersion: GLUE_VERSION,
        Command: { Name: 'glueetl', PythonVersion: '3', ScriptLocation: asset('CurateTableScript').s3ObjectUrl },
        WorkerType: 'G.1X',
        NumberOfWorkers: lobConfig.curation.maxWorkers,
        Timeout: lobConfig.curation.timeoutMinutes,
        MaxRetries: 0,
        ExecutionProperty: { MaxConcurrentRuns: 1 },
        SecurityConfiguration: glueSecurityConfigurationName(names, lob, table.layer),
      });
    }
    expect(staging('CurateTableScript').sourcePath).toBe(path.join(GLUE_SCRIPTS, 'jobs', 'curate_table.py'));
  });

  test('no job uses bookmarks, every job reads Iceberg tables through glue_catalog', () => {
    for (const job of jobs) {
      expect(job.DefaultArguments).toMatchObject({
        '--job-bookmark-option': 'job-bookmark-disable', '--datalake-formats': 'iceberg', '--enable-glue-datacatalog': 'true', '--conf': conf,
      });
    }
  });

  test('the package is one zip of glue-scripts/src without __pycache__, passed as --extra-py-files', () => {
    const pythonPackage = asset('CurationPackage');
    expect(pythonPackage.isZipArchive).toBe(true);
    expect(pythonPackage.s3ObjectUrl).toMatch(/\.zip$/);
    const { sourcePath, absoluteStagedPath } = staging('CurationPackage');
    expect(sourcePath).toBe(path.join(GLUE_SCRIPTS, 'src'));
    // What is zipped is the staged copy, with the exclusions applied.
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.relative(absoluteStagedPath, path.join(dir, entry.name))]));
    const files = walk(absoluteStagedPath);
    expect(files).toContain(path.join('lakeworks_curation', '__init__.py'));
    expect(files.filter((file) => file.includes('__pycache__'))).toEqual([]);
    for (const job of jobs) expect(job.DefaultArguments['--extra-py-files']).toBe(pythonPackage.s3ObjectUrl);
  });

  test('a data quality ruleset per standardized dataset with rules, the ones its conformed job evaluates on what it reads', () => {
    const rulesets = ofType('AWS::Glue::DataQualityRuleset');
    const withRules = lobConfig.datasets.filter((dataset) => datasetRules(dataset).length > 0);
    expect(rulesets.map((r) => r.TargetTable.TableName).sort()).toEqual(withRules.map((dataset) => dataset.name).sort());
    for (const dataset of withRules) {
      template.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
        Name: lobResourceName(names, lob, `${dataset.name.replace(/_/g, '-')}-rules`),
        Ruleset: ruleset(datasetRules(dataset)),
        TargetTable: { DatabaseName: glueDatabaseName(names, lob, 'standardized'), TableName: dataset.name },
      });
      for (const { spec } of specs) {
        if (spec.layer === 'conformed' && spec.source === dataset.name) expect(spec.sourceRuleset).toBe(ruleset(datasetRules(dataset)));
      }
    }
  });

  test('table maintenance runs maintain_tables.py over every curated table on a scheduled Glue trigger, with the conformed security configuration', () => {
    const maintenance = lobConfig.curation.maintenance;
    const job = jobNamed(maintenanceName);
    expect(job).toMatchObject({
      GlueVersion: GLUE_VERSION,
      Command: { Name: 'glueetl', PythonVersion: '3', ScriptLocation: asset('MaintainTablesScript').s3ObjectUrl },
      SecurityConfiguration: glueSecurityConfigurationName(names, lob, 'conformed'),
      MaxRetries: 0,
      ExecutionProperty: { MaxConcurrentRuns: 1 },
    });
    expect(staging('MaintainTablesScript').sourcePath).toBe(path.join(GLUE_SCRIPTS, 'jobs', 'maintain_tables.py'));
    expect(job.DefaultArguments).toEqual({
      ...GLUE_JOB_ARGUMENTS,
      '--extra-py-files': asset('CurationPackage').s3ObjectUrl,
      '--conf': conf,
      '--tables': JSON.stringify(curatedTables(lobConfig).map((table) => ({ database: glueDatabaseName(names, lob, table.layer), table: table.name }))),
      '--snapshot_retention_days': String(maintenance.snapshotRetentionDays),
      '--orphan_file_age_days': String(maintenance.orphanFileAgeDays),
    });
    expect(JSON.parse(job.DefaultArguments['--tables'])).toHaveLength(specs.length);
    const triggers = Object.values(resources).filter((r) => r.Type === 'AWS::Glue::Trigger');
    expect(triggers).toHaveLength(1);
    expect(triggers[0].Properties).toMatchObject({
      Type: 'SCHEDULED', Schedule: maintenance.schedule, StartOnCreation: true, Actions: [{ JobName: maintenanceName }],
    });
    expect(maintenance).toMatchObject({ schedule: 'cron(0 6 ? * SUN *)', snapshotRetentionDays: 7, orphanFileAgeDays: 3 });
    // The trigger names the job by name; it must not be created before it.
    const jobId = Object.keys(resources).find((id) => resources[id].Properties.Name === maintenanceName && resources[id].Type === 'AWS::Glue::Job')!;
    expect(triggers[0].DependsOn).toContain(jobId);
  });

  test('a failed, timed-out or erring maintenance run is published to the alerts topic through a role that may publish and encrypt', () => {
    const rule = ofType('AWS::Events::Rule').find((r) => r.Name === lobResourceName(names, lob, 'table-maintenance-failed'))!;
    expect(rule.EventPattern).toEqual({
      'source': ['aws.glue'], 'detail-type': ['Glue Job State Change'], 'detail': { jobName: [maintenanceName], state: ['FAILED', 'TIMEOUT', 'ERROR'] },
    });
    expect(rule.Targets).toHaveLength(1);
    const [target] = rule.Targets;
    expect(target.Arn).toBe(`arn:aws:sns:${names.region}:${names.account}:${lobResourceName(names, lob, 'alerts')}`); // named, not referenced: no stale cross-stack value
    const roleId = target.RoleArn['Fn::GetAtt'][0];
    expect(resources[roleId].Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'events.amazonaws.com' });
    const policyIds = resources[roleId].Properties.ManagedPolicyArns.map((arn: any) => arn.Ref);
    const statements = policyIds.flatMap((id: string) => resources[id].Properties.PolicyDocument.Statement);
    expect(statements.map((s: any) => [s.Sid, asList(s.Action).sort()])).toEqual([['Alert', ['sns:Publish']], ['EncryptAlerts', ['kms:Decrypt', 'kms:GenerateDataKey']]]);
    expect(statements[0].Resource).toEqual(target.Arn);
    // EventBridge publishes through the role: the topic's policy (TransformStack) does not name EventBridge.
    const transform = templateOf(stacks.transform);
    expect(Object.keys(transform.findResources('AWS::SNS::TopicPolicy'))).toHaveLength(1);
    expect(JSON.stringify(transform.findResources('AWS::SNS::TopicPolicy'))).not.toContain('events.amazonaws.com');
  });

  test('the state machine merges its input over {"mode": "incremental"}, runs conformed, then enriched, then SPICE ingestion, passing the mode to every job', () => {
    const definition = definitionOf(template);
    expect(definition.StartAt).toBe('Apply defaults');
    const defaults = definition.States['Apply defaults'];
    expect(defaults).toMatchObject({ Type: 'Pass', OutputPath: '$.run', Next: 'Conformed' });
    const merge = /^States\.JsonMerge\(States\.StringToJson\('(.*)'\), \$, false\)$/.exec(defaults.Parameters['run.$'])!;
    // Unescape the intrinsic string literal (\{ \} \' \\) and read it as JSON.
    expect(JSON.parse(merge[1].replace(/\\(.)/g, '$1'))).toEqual(DEFAULT_EXECUTION_INPUT);
    expect(DEFAULT_EXECUTION_INPUT).toEqual({ mode: 'incremental' });

    const ingested = envConfig.quickSight && lobConfig.dashboard.enabled ? spiceDataSetIds(names, lobConfig) : [];
    const order = ['Conformed', 'Enriched', ...(ingested.length > 0 ? ['Refresh SPICE'] : []), 'Curated'];
    order.slice(0, -1).forEach((state, index) => {
      expect(definition.States[state].Type).toBe('Parallel');
      expect(definition.States[state].Next).toBe(order[index + 1]);
      expect(definition.States[state].Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'Alert on failure' })]);
    });
    expect(definition.States.Curated.Type).toBe('Succeed');
    expect(definition.States['Alert on failure'].Next).toBe('Curation failed');

    for (const [state, layer] of [['Conformed', 'conformed'], ['Enriched', 'enriched']] as const) {
      const runs = Object.values(branchTasks(definition.States[state]));
      expect(runs.map((run: any) => run.Parameters.JobName).sort()).toEqual(specs.filter(({ table }) => table.layer === layer)
        .map(({ table }) => lobResourceName(names, lob, `${layer}-${table.name.replace(/_/g, '-')}`)).sort());
      for (const run of runs) {
        expect(run.Resource).toBe('arn:REF:states:::glue:startJobRun.sync');
        expect(run.Parameters.Arguments).toEqual({ '--mode.$': '$.mode' });
        expect(run.Retry[0].ErrorEquals).toEqual(['Glue.ConcurrentRunsExceededException', 'Glue.ThrottlingException', 'Glue.InternalServiceException']);
      }
    }
    expect(ingestedDataSets(template)).toEqual(ingested);
  });

  test('each SPICE ingestion gets an id unique to the execution, its redrive and the dataset, from QuickSight\'s alphabet', () => {
    const refresh = definitionOf(template).States['Refresh SPICE'];
    if (!refresh) return;
    for (const task of Object.values(branchTasks(refresh)) as any[]) {
      expect(task.Resource).toBe('arn:REF:states:::aws-sdk:quicksight:createIngestion');
      expect(task.Parameters).toEqual({
        'AwsAccountId': envConfig.account,
        'DataSetId': task.Parameters.DataSetId,
        'IngestionId.$': `States.Hash(States.Format('{}/{}/${task.Parameters.DataSetId}', $$.Execution.Name, $$.Execution.RedriveCount), 'SHA-256')`,
        'IngestionType': 'FULL_REFRESH',
      });
    }
  });

  test('the schedule starts an incremental run', () => {
    const schedule = ofType('AWS::Events::Rule').find((r) => r.Name === lobResourceName(names, lob, 'curation-schedule'))!;
    expect(schedule.ScheduleExpression).toBe(lobConfig.curation.schedule);
    expect(schedule.Targets.map((t: any) => JSON.parse(t.Input))).toEqual([{ mode: 'incremental' }]);
  });

  test('the job role never deletes a table and writes only the declared curated tables and their locations', () => {
    const statements = statementsOf(template);
    for (const statement of statements) {
      for (const action of asList(statement.Action)) expect(action).not.toMatch(/^glue:(Delete|BatchDelete)|^glue:\*$|^\*$/);
    }
    const job = (sid: string) => statements.find((s) => s.Sid === sid);
    const arn = (resource: string) => `arn:aws:glue:${envConfig.region}:${envConfig.account}:${resource}`;
    const s3 = (resource: string) => `arn:aws:s3:::${resource}`;
    const sorted = (values: unknown[]) => asList(values).map((v) => JSON.stringify(v)).sort();
    expect(sorted(job('KeepCuratedTables').Resource)).toEqual(sorted([
      arn('catalog'), arn(`database/${glueDatabaseName(names, lob, 'conformed')}`), arn(`database/${glueDatabaseName(names, lob, 'enriched')}`),
      ...specs.map(({ table }) => arn(`table/${glueDatabaseName(names, lob, table.layer)}/${table.name}`)),
    ]));
    expect(asList(job('KeepCuratedTables').Action).sort()).toEqual(['glue:CreateTable', 'glue:UpdateTable']);
    expect(asList(job('ReadCatalog').Action).sort()).toEqual(['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables']);
    expect(sorted(job('ReadCatalog').Resource)).toEqual(sorted([arn('catalog'), ...(['standardized', 'conformed', 'enriched'] as const)
      .flatMap((layer) => [arn(`database/${glueDatabaseName(names, lob, layer)}`), arn(`table/${glueDatabaseName(names, lob, layer)}/*`)])]));
    expect(sorted(job('ListLayers').Resource)).toEqual(sorted(['standardized', 'conformed', 'enriched'].map((layer) => s3(bucket(layer as 'conformed')))));
    const sources = [...new Set(lobConfig.curated.conformed.map((table) => table.source))];
    expect(sorted(job('ReadStandardized').Resource)).toEqual(sorted(sources.flatMap((dataset) => [
      s3(`${bucket('standardized')}/${dataset}/*`), s3(`${bucket('standardized')}/manifests/${dataset}/*`)])));
    expect(job('ReadStandardized').Action).toBe('s3:GetObject');
    expect(sorted(job('KeepTableFiles').Resource)).toEqual(sorted(specs.map(({ table }) => s3(`${bucket(table.layer)}/${table.name}/*`))));
    expect(asList(job('KeepTableFiles').Action).sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
    expect(job('DecryptStandardized').Action).toBe('kms:Decrypt');
    expect(asList(job('EncryptCurated').Action).sort()).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
    expect(job('PublishJobMetrics').Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': ['Glue', 'Glue Data Quality'] } });
    expect(job('PublishQualityResults').Action).toBe('glue:PublishDataQuality');
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
  });

  test('the state machine may start only its jobs and ingest only the named datasets', () => {
    const statements = statementsOf(template);
    const refresh = statements.find((s) => s.Sid === 'RefreshSpice');
    const ingested = ingestedDataSets(template);
    if (ingested.length === 0) {
      expect(refresh).toBeUndefined();
    } else {
      expect(refresh.Action).toBe('quicksight:CreateIngestion');
      const dataSet = (id: string) => `arn:aws:quicksight:${envConfig.region}:${envConfig.account}:dataset/${id}`;
      expect([...refresh.Resource].sort()).toEqual(ingested.flatMap((id) => [dataSet(id), `${dataSet(id)}/ingestion/*`]).sort());
    }
    const run = statements.find((s) => s.Sid === 'RunJobs');
    expect(run.Resource.length).toBe(specs.length);
  });

  test('alarms on failed and timed-out runs, a failed schedule and an undeliverable maintenance alert', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map((a) => [a.MetricName, a.Dimensions?.[0]?.Value ?? 'state machine']).sort();
    expect(alarms.map(([metric]) => metric)).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut', 'FailedInvocations', 'FailedInvocations']);
    expect(alarms.filter(([metric]) => metric === 'FailedInvocations').map(([, rule]) => rule).sort()).toEqual([
      lobResourceName(names, lob, 'curation-schedule'), lobResourceName(names, lob, 'table-maintenance-failed')]);
  });
});

test('snapshots must outlive the daily curation interval, so the next incremental run can read what changed', () => {
  expect(configErrorOf((f) => { f.lobs[FINANCE].curation = { maintenance: { snapshotRetentionDays: 1 } }; })).toBe(
    'config/lobs/finance.yaml: curation.maintenance.snapshotRetentionDays: expected at least 2: snapshots must outlive the daily curation interval, or the next incremental run cannot read what changed',
  );
  expect(configErrorOf((f) => { f.lobs[FINANCE].curation = { maintenance: { orphanFileAgeDays: 0 } }; })).toMatch(/^config\/lobs\/finance\.yaml: curation\.maintenance\.orphanFileAgeDays: /);
});

describe('configured maintenance, LoBs without curated tables or SPICE datasets', () => {
  let finance: { curation: Stack; names: NameScope; lob: LobConfig };
  let marketing: Stack;
  beforeAll(() => {
    const fixture = sampleFixture();
    fixture.lobs[FINANCE].dashboard.importMode = 'DIRECT_QUERY';
    fixture.lobs[FINANCE].curation = { maintenance: { schedule: 'cron(30 2 ? * SAT *)', snapshotRetentionDays: 14, orphanFileAgeDays: 5 } };
    fixture.lobs[MARKETING].curated = {};
    fixture.lobs[MARKETING].dashboard = { enabled: false };
    const config = parseFixture(fixture);
    const { stages } = synthesizedApp(config);
    const stage = stages[0];
    const environment = config.platform.environments[0];
    finance = {
      curation: stage.lobStacks.get('finance')!.curation,
      lob: config.lobs.find((l) => l.name === 'finance')!,
      names: { organisation: config.platform.organisation, environment: environment.name, account: environment.account, region: environment.region },
    };
    marketing = stage.lobStacks.get('marketing')!.curation;
  });

  test('the maintenance schedule and retention come from curation.maintenance', () => {
    const template = Template.fromStack(finance.curation);
    template.hasResourceProperties('AWS::Glue::Trigger', { Type: 'SCHEDULED', Schedule: 'cron(30 2 ? * SAT *)' });
    const [job] = Object.values(template.findResources('AWS::Glue::Job', { Properties: { Name: lobResourceName(finance.names, 'finance', 'table-maintenance') } })) as Resource[];
    expect(job.Properties.DefaultArguments).toMatchObject({ '--snapshot_retention_days': '14', '--orphan_file_age_days': '5' });
  });

  test('a direct-query dashboard gets no ingestion step and no QuickSight permission', () => {
    const template = Template.fromStack(finance.curation);
    expect(spiceDataSetIds(finance.names, finance.lob)).toEqual([]);
    expect(definitionOf(template).States.Enriched.Next).toBe('Curated');
    expect(JSON.stringify(statementsOf(template))).not.toContain('quicksight');
  });

  test('without curated tables: no jobs, no maintenance, a flow that succeeds, and a valid role (the app synthesizes under the baseline)', () => {
    const template = Template.fromStack(marketing);
    template.resourceCountIs('AWS::Glue::Job', 0);
    template.resourceCountIs('AWS::Glue::Trigger', 0);
    const definition = definitionOf(template);
    expect(definition.States.Conformed.Branches).toHaveLength(1);
    expect(definition.States.Enriched.Next).toBe('Curated');
    for (const statement of statementsOf(template)) expect(asList(statement.Resource).length).toBeGreaterThan(0);
    expect(statementsOf(template).map((s) => s.Sid)).not.toContain('KeepCuratedTables');
  });
});

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { glueDatabaseName, glueSecurityConfigurationName } from '../../lib/config/names';
import { dqRuleset } from '../../lib/curation/dq-ruleset';
import { sqlFiles } from '../../lib/local/curated-layers';
import { CHECK_QUALITY_ARGUMENTS, RUN_SQL_ARGUMENTS } from '../../lib/stacks/curation-stack';
import { lobStackCases, templateOf } from '../helpers/sample-app';

const GLUE_SCRIPTS = path.join(__dirname, '..', '..', 'glue-scripts');

/** The ARGUMENTS list a Glue script reads, from its source. */
function scriptArguments(script: string): string[] {
  const source = fs.readFileSync(path.join(GLUE_SCRIPTS, script), 'utf8');
  const list = /ARGUMENTS = \[([^\]]*)\]/.exec(source)![1];
  return [...list.matchAll(/"([^"]+)"/g)].map((match) => match[1]).filter((name) => name !== 'JOB_NAME');
}

test('the Glue scripts compile (python3 -m py_compile)', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-pyc-'));
  for (const script of fs.readdirSync(GLUE_SCRIPTS).filter((file) => file.endsWith('.py'))) {
    execFileSync('python3', ['-c', 'import py_compile,sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)', path.join(GLUE_SCRIPTS, script), path.join(out, `${script}c`)]);
  }
});

describe.each(lobStackCases((stacks) => stacks.curation))('$environment/$lob-curation', ({ lob, stack, names, lobConfig }) => {
  const template = templateOf(stack);
  const jobs = Object.values(template.findResources('AWS::Glue::Job')).map((j: any) => j.Properties);

  test('matches the snapshot', () => {
    expect(template.toJSON()).toMatchSnapshot();
  });

  test('the arguments each script reads are exactly the ones its jobs pass', () => {
    const passed = (job: any) => Object.keys(job.DefaultArguments).filter((key) => !key.startsWith('--enable') && key !== '--job-bookmark-option').map((key) => key.slice(2)).sort();
    expect(scriptArguments('run_sql.py').sort()).toEqual([...RUN_SQL_ARGUMENTS].sort());
    expect(scriptArguments('check_quality.py').sort()).toEqual([...CHECK_QUALITY_ARGUMENTS].sort());
    for (const job of jobs) {
      expect(passed(job)).toEqual(job.Name.includes('-quality-') ? [...CHECK_QUALITY_ARGUMENTS].sort() : [...RUN_SQL_ARGUMENTS].sort());
    }
  });

  test('one job per SQL file, on Glue 5 with its layer\'s security configuration, bookmarks, auto-scaling, continuous logs and the configured limits', () => {
    for (const layer of ['conformed', 'enriched'] as const) {
      for (const { table } of sqlFiles(lob, layer)) {
        template.hasResourceProperties('AWS::Glue::Job', {
          GlueVersion: '5.0',
          SecurityConfiguration: glueSecurityConfigurationName(names, lob, layer),
          NumberOfWorkers: lobConfig.curation.maxWorkers,
          Timeout: lobConfig.curation.timeoutMinutes,
          DefaultArguments: Match.objectLike({
            '--job-bookmark-option': 'job-bookmark-enable', '--enable-auto-scaling': 'true', '--enable-continuous-cloudwatch-log': 'true',
            '--target_database': glueDatabaseName(names, lob, layer), '--target_table': table,
            '--source_database': glueDatabaseName(names, lob, layer === 'conformed' ? 'standardized' : 'conformed'),
          }),
        });
      }
    }
  });

  test('a data quality job and ruleset per dataset, generated from its config', () => {
    for (const dataset of lobConfig.datasets) {
      template.hasResourceProperties('AWS::Glue::DataQualityRuleset', {
        Ruleset: dqRuleset(dataset), TargetTable: { DatabaseName: glueDatabaseName(names, lob, 'standardized'), TableName: dataset.name },
      });
      template.hasResourceProperties('AWS::Glue::Job', { DefaultArguments: Match.objectLike({ '--table': dataset.name, '--ruleset': dqRuleset(dataset) }) });
    }
  });

  test('the state machine runs quality, then conformed, then enriched, and alerts on failure', () => {
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as any[];
    // The definition is a join of strings and references; references only occur inside strings.
    const parts = machine.Properties.DefinitionString['Fn::Join']?.[1] ?? [machine.Properties.DefinitionString];
    const definition = JSON.parse(parts.map((part: unknown) => (typeof part === 'string' ? part : 'REF')).join(''));
    expect(definition.StartAt).toBe('Data quality');
    expect(definition.States['Data quality'].Next).toBe('Conformed');
    expect(definition.States.Conformed.Next).toBe('Enriched');
    expect(definition.States.Enriched.Next).toBe('Curated');
    for (const stage of ['Data quality', 'Conformed', 'Enriched']) {
      expect(definition.States[stage].Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'Alert on failure' })]);
    }
    const runs = Object.values(definition.States.Conformed.Branches as Array<{ States: Record<string, any> }>).flatMap((b) => Object.values(b.States));
    expect(runs.length).toBe(sqlFiles(lob, 'conformed').length);
    for (const run of runs) expect(run.Retry[0].ErrorEquals).toContain('Glue.ConcurrentRunsExceededException');
    expect(machine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.Properties.LoggingConfiguration.Level).toBe('ALL');
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: lobConfig.curation.schedule });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties.MetricName).sort();
    expect(alarms).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut', 'FailedInvocations']);
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
  });
});

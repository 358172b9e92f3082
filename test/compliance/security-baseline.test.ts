import * as fs from 'node:fs';
import * as path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { RULE_PACKS } from '../../lib/compliance/security-baseline';
import { createLakeworksApp } from '../../lib/lakeworks-app';
import { parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { sampleApp, sampleConfig, testAppProps } from '../helpers/sample-app';

interface Report { pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ ruleName: string }> }> }
const readReport = (outdir: string): Report | undefined => {
  const file = path.join(outdir, 'validation-report.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
};

/** Every acknowledgement in a construct tree: rule id and reason, with the construct path. */
function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((construct) => construct.node.metadata
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason }))));
}

describe('the security baseline', () => {
  test('the whole sample app synthesizes with zero unacknowledged findings', () => {
    const { outdir } = sampleApp();
    const report = readReport(outdir);
    for (const plugin of report?.pluginReports ?? []) {
      expect({ plugin: plugin.pluginName, conclusion: plugin.conclusion }).toEqual({ plugin: plugin.pluginName, conclusion: 'success' });
      expect(plugin.violations.filter((violation) => !violation.ruleName.startsWith('Annotation::'))).toEqual([]);
    }
  });

  test('cannot be switched off from the command line', () => {
    const lakeworks = createLakeworksApp(sampleConfig(), {
      context: { '@aws-cdk/core:validateAgainstDefaultRules': false, '@aws-cdk/core:failSynthOnValidationErrors': false },
    });
    expect(lakeworks.app.node.tryGetContext('@aws-cdk/core:validateAgainstDefaultRules')).toBe(true);
    expect(lakeworks.app.node.tryGetContext('@aws-cdk/core:failSynthOnValidationErrors')).toBe(true);
  });

  test('every rule pack and CloudFormation Validate stop synth on an insecure resource', () => {
    const props = testAppProps();
    const outdir = props.outdir;
    // Without the pipeline, which synthesizes the stages it deploys as soon as it is built.
    const fixture = sampleFixture();
    fixture.platform.pipeline.enabled = false;
    const { app, stages } = createLakeworksApp(parseFixture(fixture), props);
    const stack = stages[0].lobStacks.get('finance')!.storage;
    new s3.Bucket(stack, 'UnencryptedUnloggedBucket');
    new lambda.Function(stack, 'FunctionWithoutDlqOrTracing', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    (stack.node.findChild('Raw').node.findChild('Bucket').node.defaultChild as s3.CfnBucket).addPropertyOverride('NoSuchProperty', true);

    expect(() => app.synth()).toThrow();
    const failed = readReport(outdir)!.pluginReports.filter((plugin) => plugin.conclusion === 'failure').map((plugin) => plugin.pluginName);
    expect(failed).toEqual(expect.arrayContaining([...RULE_PACKS, 'CloudFormation Validate']));
  });

  test('holds for the pipeline stack too', () => {
    const props = testAppProps();
    const { app, pipeline } = createLakeworksApp(sampleConfig(), props);
    new s3.Bucket(pipeline!, 'UnencryptedUnloggedBucket');
    expect(() => app.synth()).toThrow();
    const violations = readReport(props.outdir)!.pluginReports.flatMap((plugin) => plugin.violations.map((violation) => violation.ruleName));
    expect(violations).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'NIST.800.53.R5-S3BucketLoggingEnabled']));
  });

  test('acknowledgements are few, specific and each gives its reason', () => {
    const { app } = sampleApp();
    const all = acknowledgements(app);
    // Granular findings (`AwsSolutions-IAM5[Resource::...]`) are listed by rule.
    const ruleIds = new Set(all.map((ack) => ack.id.replace(/\[.*\]$/, '')));
    for (const ack of all) expect(ack.reason.length).toBeGreaterThan(40);
    // README lists these; a new one must be added there too.
    expect([...ruleIds].sort()).toMatchSnapshot();
  });
});

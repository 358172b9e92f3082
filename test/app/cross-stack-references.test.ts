/**
 * Values one stack reads from another. CDK writes them as `Fn::GetStackOutput`, which CloudFormation
 * resolves only when the consuming stack is created or updated: a consumer whose template did not
 * change keeps the producer's old value. Names that are derived (and known at synth) are designed
 * out of that; what remains is listed here and refreshed as docs/operations.md says. Also the names
 * that must change for a resource to be replaced (Glue security configurations).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { GLUE_SECURITY_CONFIGURATION_GENERATION, glueSecurityConfigurationName, lobResourceName } from '../../lib/config/names';
import { createLakeworksApp } from '../../lib/lakeworks-app';
import { REFRESH_CONTEXT } from '../../lib/stages/data-lake-stage';
import { parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { lobStackCases, sampleApp, templateOf, testAppProps } from '../helpers/sample-app';

interface Reference { consumer: string; producer: string; output: string }

/** Every cross-stack read in the stage templates of an assembly on disk. */
function crossStackReads(outdir: string): { reads: Reference[]; imports: string[] } {
  const reads: Reference[] = [];
  const imports: string[] = [];
  for (const stage of fs.readdirSync(outdir).filter((entry) => entry.startsWith('assembly-'))) {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, stage, 'manifest.json'), 'utf8'));
    for (const artifact of Object.values(manifest.artifacts) as any[]) {
      if (artifact.type !== 'aws:cloudformation:stack') continue;
      const walk = (value: unknown): void => {
        if (Array.isArray(value)) { value.forEach(walk); return; }
        if (value === null || typeof value !== 'object') return;
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'Fn::GetStackOutput') reads.push({ consumer: artifact.properties.stackName, producer: (inner as any).StackName, output: (inner as any).OutputName });
          else if (key === 'Fn::ImportValue') imports.push(artifact.properties.stackName);
          else walk(inner);
        }
      };
      walk(JSON.parse(fs.readFileSync(path.join(outdir, stage, artifact.properties.templateFile), 'utf8')).Resources);
    }
  }
  return { reads, imports };
}

describe('cross-stack values', () => {
  const { outdir } = sampleApp();
  const { reads, imports } = crossStackReads(outdir);

  test('no stack imports an export (an export blocks every change to its producer)', () => {
    expect(imports).toEqual([]);
  });

  test('what stacks still read from each other is KMS key ARNs only, of the same environment and LoB (docs/operations.md lists them)', () => {
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      expect(read.output).toMatch(/^PublishOutputFnGetAtt(Raw|Standardized|Conformed|Enriched|Results|Operations)Key[0-9A-F]{8}Arn[0-9A-F]{8}$/);
      // <org>-<env>-<lob>-<concern>: the producer is the consumer's own storage or transform stack.
      expect(read.producer.split('-').slice(0, 3)).toEqual(read.consumer.split('-').slice(0, 3));
      expect(read.producer).toMatch(/-(storage|transform)$/);
    }
    const fromTransform = [...new Set(reads.filter((read) => read.producer.endsWith('-transform')).map((read) => `${read.consumer.split('-').at(-1)} <- ${read.output.replace(/[0-9A-F]{8}/g, '')}`))];
    expect(fromTransform).toEqual(['curation <- PublishOutputFnGetAttOperationsKeyArn']);
  });

  describe.each(lobStackCases((stacks) => stacks.transform))('$environment/$lob', ({ lob, names, stacks }) => {
    const topicArn = `arn:aws:sns:${names.region}:${names.account}:${lobResourceName(names, lob, 'alerts')}`;
    const topicName = Object.values(templateOf(stacks.transform).findResources('AWS::SNS::Topic'))[0].Properties.TopicName;

    test('the alerts topic is named, not referenced, by the stacks that publish to it, which deploy after it', () => {
      expect(topicArn.endsWith(`:${topicName}`)).toBe(true);
      for (const consumer of [stacks.curation, ...(stacks.ingest ? [stacks.ingest] : [])]) {
        const json = JSON.stringify(templateOf(consumer).toJSON());
        expect(json).toContain(topicArn);
        expect(json).not.toContain('PublishOutputRefAlerts');
        expect(consumer.dependencies).toContain(stacks.transform);
      }
    });

    test('the maintenance-failure rule publishes through a role allowed to publish to that topic with its key (the topic policy denies only non-TLS)', () => {
      const curation = templateOf(stacks.curation);
      const [rule] = Object.values(curation.findResources('AWS::Events::Rule', { Properties: { Name: lobResourceName(names, lob, 'table-maintenance-failed') } }));
      if (!rule) return; // a LoB without curated tables has no maintenance job
      const [target] = rule.Properties.Targets;
      expect(target.Arn).toBe(topicArn);
      const roleId = target.RoleArn['Fn::GetAtt'][0];
      const role = curation.toJSON().Resources[roleId];
      const policyId = role.Properties.ManagedPolicyArns[0].Ref;
      const statements = curation.toJSON().Resources[policyId].Properties.PolicyDocument.Statement;
      expect(statements).toContainEqual(expect.objectContaining({ Action: 'sns:Publish', Effect: 'Allow', Resource: topicArn }));
      expect(statements).toContainEqual(expect.objectContaining({
        Action: expect.arrayContaining(['kms:GenerateDataKey', 'kms:Decrypt']), Effect: 'Allow',
        Resource: { 'Fn::GetStackOutput': expect.objectContaining({ StackName: stacks.transform.stackName, OutputName: expect.stringMatching(/OperationsKey/) }) },
      }));
      expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'events.amazonaws.com' });
    });

    test('crawlers and jobs name the security configurations the catalog creates', () => {
      const created = new Set(Object.values(templateOf(stacks.catalog).findResources('AWS::Glue::SecurityConfiguration')).map((configuration) => configuration.Properties.Name));
      const used = [
        ...Object.values(templateOf(stacks.catalog).findResources('AWS::Glue::Crawler')).map((crawler) => crawler.Properties.CrawlerSecurityConfiguration),
        ...Object.values(templateOf(stacks.curation).findResources('AWS::Glue::Job')).map((job) => job.Properties.SecurityConfiguration),
      ];
      expect(used.length).toBeGreaterThan(0);
      for (const name of used) expect(created).toContain(name);
    });
  });

  test('a new generation renames every Glue security configuration, so CloudFormation can replace them', () => {
    const names = { organisation: 'acme', environment: 'dev' };
    expect(GLUE_SECURITY_CONFIGURATION_GENERATION).toBe(1);
    expect(glueSecurityConfigurationName(names, 'finance', 'raw')).toBe('acme-dev-finance-raw');
    expect(glueSecurityConfigurationName(names, 'finance', 'raw', 2)).toBe('acme-dev-finance-raw-g2');
    expect(glueSecurityConfigurationName(names, 'finance', 'raw', 3)).not.toBe(glueSecurityConfigurationName(names, 'finance', 'raw', 2));
  });
});

describe(`-c ${REFRESH_CONTEXT}=<value>`, () => {
  const build = (refresh?: string) => {
    const fixture = sampleFixture();
    fixture.platform.pipeline.enabled = false;
    const props = testAppProps();
    const { stages } = createLakeworksApp(parseFixture(fixture), { ...props, context: { ...props.context, ...(refresh ? { [REFRESH_CONTEXT]: refresh } : {}) } });
    const stacks = stages[0].node.children.filter((child) => 'templateFile' in child) as unknown as import('aws-cdk-lib').Stack[];
    return stacks.map((stack) => Object.keys(Template.fromStack(stack).findResources('AWS::CloudFormation::WaitConditionHandle')));
  };

  test('changes every stack of the stage, so CloudFormation updates it and reads the other stacks\' outputs again; a new value changes them again', () => {
    const none = build();
    const first = build('2024-06-01T12:00');
    const second = build('2024-06-02T09:30');
    expect(none.every((handles) => handles.length === 0)).toBe(true);
    expect(first.every((handles) => handles.length === 1 && handles[0].startsWith('CrossStackRefresh'))).toBe(true);
    expect(second.every((handles, index) => handles.length === 1 && handles[0] !== first[index][0])).toBe(true);
  });
});

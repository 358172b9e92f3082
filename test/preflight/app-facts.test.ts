/**
 * The facts preflight reads from the synthesized app: the bootstrap version aws-cdk-lib's rule
 * demands, the reserved concurrency, the named buckets. One real synthesis of the sample per
 * environment ties the fixture the other tests use (expectedFacts) to what the app produces.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  bootstrapRequirement, readCdkSettings, reservedConcurrency, synthesizeAppFacts, templateMinimumBootstrapVersion, totalReserved,
} from '../../tools/preflight/app-facts';
import { parseFixture, sampleFixture } from '../helpers/config-fixtures';
import { sampleConfig } from '../helpers/sample-app';
import { expectedFacts } from './stubs';

const CDK_JSON = path.join(__dirname, '..', '..', 'cdk.json');

/** aws-cdk-lib's CheckBootstrapVersion rule for a minimum of `minimum`. */
function ruleFor(minimum: number) {
  const refused = Array.from({ length: minimum - 1 }, (_, index) => String(index + 1));
  return {
    Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/abc123/version' } },
    Rules: {
      CheckBootstrapVersion: {
        Assertions: [{
          Assert: { 'Fn::Not': [{ 'Fn::Contains': [refused, { Ref: 'BootstrapVersion' }] }] },
          AssertDescription: `CDK bootstrap stack version ${minimum} required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.`,
        }],
      },
    },
  };
}

describe('bootstrap requirement', () => {
  test('is one above the highest version the CheckBootstrapVersion rule refuses', () => {
    expect(templateMinimumBootstrapVersion(ruleFor(6))).toBe(6);
    expect(templateMinimumBootstrapVersion(ruleFor(21))).toBe(21);
    expect(templateMinimumBootstrapVersion({})).toBeUndefined();
  });

  test('is the highest any stack states, with the SSM parameter the templates read', () => {
    const stacks = [
      { stackName: 'a', path: 'dev/a', template: ruleFor(6) },
      { stackName: 'b', path: 'dev/b', template: ruleFor(8) },
      { stackName: 'c', path: 'dev/c', template: {}, requiresBootstrapStackVersion: 7 },
    ];
    expect(bootstrapRequirement(stacks, 'abc123', 'CDKToolkit')).toEqual({
      qualifier: 'abc123', toolkitStackName: 'CDKToolkit', minimumVersion: 8, versionParameter: '/cdk-bootstrap/abc123/version',
    });
    expect(bootstrapRequirement([{ stackName: 'c', path: 'dev/c', template: {} }], 'hnb659fds', 'CDKToolkit'))
      .toEqual({ qualifier: 'hnb659fds', toolkitStackName: 'CDKToolkit', minimumVersion: undefined, versionParameter: '/cdk-bootstrap/hnb659fds/version' });
  });

  test('cdk.json gives the qualifier and toolkit stack name, with the CDK defaults when unset', () => {
    expect(readCdkSettings(CDK_JSON)).toMatchObject({ qualifier: 'hnb659fds', toolkitStackName: 'CDKToolkit' });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-cdk-json-'));
    fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ toolkitStackName: 'LakeToolkit', context: { '@aws-cdk/core:bootstrapQualifier': 'lake1' } }));
    expect(readCdkSettings(path.join(dir, 'cdk.json'))).toEqual({ context: { '@aws-cdk/core:bootstrapQualifier': 'lake1' }, qualifier: 'lake1', toolkitStackName: 'LakeToolkit' });
  });
});

describe('reserved concurrency', () => {
  const fn = (reserved?: number, name?: string) => ({
    Type: 'AWS::Lambda::Function', Properties: { ...(name ? { FunctionName: name } : {}), ...(reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved }) },
  });

  test('sums every function that reserves, and nothing else', () => {
    const reservations = reservedConcurrency([
      { stackName: 's1', path: 'dev/finance-transform', lob: 'finance', template: { Resources: { A: fn(10, 'acme-dev-finance-transform'), B: fn(undefined, 'other') } } },
      { stackName: 's2', path: 'dev/marketing-ingest', lob: 'marketing', template: { Resources: { Processor: fn(5), Queue: { Type: 'AWS::SQS::Queue', Properties: {} } } } },
    ]);
    expect(reservations).toEqual([
      { lob: 'finance', stackPath: 'dev/finance-transform', functionName: 'acme-dev-finance-transform', reserved: 10 },
      { lob: 'marketing', stackPath: 'dev/marketing-ingest', functionName: 'Processor', reserved: 5 },
    ]);
    expect(totalReserved(reservations)).toBe(15);
    expect(totalReserved([])).toBe(0);
  });
});

describe('synthesizing the sample', () => {
  const settings = readCdkSettings(CDK_JSON);

  test.each(['dev', 'prod'])('%s: the facts the other tests assume', (name) => {
    const config = sampleConfig();
    const environment = config.platform.environments.find((candidate) => candidate.name === name)!;
    const facts = synthesizeAppFacts(config, environment, settings);
    expect(facts).toEqual(expectedFacts(config, environment, facts.reservations));
    // Whatever the LoBs reserve in config (the transform's reservedConcurrency is opt-in).
    const fromConfig = config.lobs.map((lob) => lob.transform.reservedConcurrency ?? 0).reduce((sum, value) => sum + value, 0);
    expect(totalReserved(facts.reservations)).toBe(fromConfig);
  });

  test('a reservation in config shows up, named by its function and LoB', () => {
    const fixture = sampleFixture();
    fixture.lobs['config/lobs/finance.yaml'].transform = { ...fixture.lobs['config/lobs/finance.yaml'].transform, reservedConcurrency: 25, maxConcurrency: 20 };
    const config = parseFixture(fixture);
    const facts = synthesizeAppFacts(config, config.platform.environments[0], settings);
    expect(facts.reservations).toEqual([{ lob: 'finance', stackPath: 'dev/finance-transform', functionName: 'acme-dev-finance-transform', reserved: 25 }]);
  });

  test('a custom bootstrap qualifier in cdk.json reaches the templates', () => {
    const config = sampleConfig();
    const custom = { context: { ...settings.context, '@aws-cdk/core:bootstrapQualifier': 'lake1' }, qualifier: 'lake1', toolkitStackName: 'CDKToolkit' };
    expect(synthesizeAppFacts(config, config.platform.environments[0], custom).bootstrap)
      .toEqual({ qualifier: 'lake1', toolkitStackName: 'CDKToolkit', minimumVersion: 6, versionParameter: '/cdk-bootstrap/lake1/version' });
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ROOT, canonicalCommand, ciRunCommands, glueRuntime, workflowRuns as runs } from '../helpers/ci-commands';

const workflow = parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'lakeworks.yml'), 'utf8'));

describe('.ci/run', () => {
  test('installs the lockfile\'s packages, then the Spark side, then runs npm test, which ends with the Spark tests', () => {
    expect(ciRunCommands().map(canonicalCommand)).toEqual(['npm ci', 'npm run setup', 'npm test'].map(canonicalCommand));
    expect(canonicalCommand('npm run setup')).toBe('bash scripts/setup-spark.sh');
    expect(canonicalCommand('npm test')).toMatch(/^tsc -p \. && jest && npm run test:spark$/);
    expect(canonicalCommand('npm run test:spark')).toBe('bash scripts/test-spark.sh');
  });
});

describe('GitHub Actions workflow', () => {
  test('tests and synthesizes pull requests with the same commands as .ci/run', () => {
    expect(workflow.on.pull_request).toBeDefined();
    const test = runs('test');
    expect(test.slice(0, -1).map(canonicalCommand)).toEqual(ciRunCommands().map(canonicalCommand));
    expect(test.at(-1)).toBe('npx cdk synth --quiet');
    expect(canonicalCommand(test.at(-1)!)).toBe(canonicalCommand('npm run synth'));
  });

  test('sets up the Java and Python of the Glue runtime beside Node.js, before any command, with pinned actions', () => {
    const steps = workflow.jobs.test.steps as Array<{ uses?: string; run?: string; with?: Record<string, unknown> }>;
    const index = (action: string) => steps.findIndex((step) => step.uses?.startsWith(`${action}@`));
    const firstRun = steps.findIndex((step) => step.run !== undefined);
    const runtime = glueRuntime();
    for (const action of ['actions/setup-node', 'actions/setup-java', 'actions/setup-python']) {
      expect({ action, found: index(action) >= 0, beforeCommands: index(action) < firstRun }).toEqual({ action, found: true, beforeCommands: true });
    }
    expect(steps[index('actions/setup-java')].with).toMatchObject({ distribution: 'temurin' });
    // String(): a YAML number 3.10 would read as 3.1, so the versions must be quoted to match.
    expect(String(steps[index('actions/setup-java')].with!['java-version'])).toBe(runtime.java);
    expect(String(steps[index('actions/setup-python')].with!['python-version'])).toBe(runtime.python);
    for (const job of Object.values(workflow.jobs) as Array<{ steps?: Array<{ uses?: string }> }>) {
      for (const step of job.steps ?? []) if (step.uses) expect(step.uses).toMatch(/@v\d+$/);
    }
  });

  test('deploys main only, one environment at a time, through OIDC with no stored keys', () => {
    const deploy = workflow.jobs.deploy;
    expect(workflow.jobs.environments.if).toBe("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(deploy.permissions['id-token']).toBe('write');
    expect(deploy.strategy['max-parallel']).toBe(1);
    expect(deploy.environment).toBe('${{ matrix.environment }}');
    const credentials = deploy.steps.find((step: { uses?: string }) => step.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(credentials.with['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    expect(JSON.stringify(workflow)).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/i);
    expect(runs('deploy')).toContain('npx cdk deploy "${{ matrix.environment }}/**" --require-approval never');
  });
});

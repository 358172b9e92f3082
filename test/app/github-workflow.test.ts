import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..');
const workflow = parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'lakeworks.yml'), 'utf8'));
const runs = (job: string) => (workflow.jobs[job].steps as Array<{ run?: string }>).map((step) => step.run).filter(Boolean);

describe('GitHub Actions workflow', () => {
  test('tests and synthesizes pull requests with the same commands as .ci/run', () => {
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(workflow.on.pull_request).toBeDefined();
    for (const command of ['npm ci', 'npm test']) {
      expect(ci).toContain(command);
      expect(runs('test')).toContain(command);
    }
    expect(runs('test')).toContain('npx cdk synth --quiet');
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

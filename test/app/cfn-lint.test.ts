/**
 * AWS's CloudFormation linter over every template the app deploys: each stage's stacks
 * (`assembly-<env>/*.template.json`) and the pipeline stack (`pipeline.template.json`), as
 * `npx cdk synth` writes them, which is what the pipeline's synth step deploys and what a laptop
 * deploys. No errors; every warning is either fixed in the stacks or accepted, by rule, stack and
 * resource with its reason, in test/app/cfn-lint-accepted-warnings.json.
 *
 * jest rather than pytest: the templates come from the TypeScript app and the acceptance is about
 * its stacks, so the test sits with the other template tests and runs in `npm test` (after
 * `npm run setup`, like the Spark tests, in CI and the pipeline). It synthesizes through the CDK
 * CLI, not in-process: the CLI adds cdk.json's context and the `aws:cdk:path` metadata that
 * cfn-lint uses to recognise a CDK template (an in-process synth without them reports CDK's own
 * `Fn::Join` ARNs as E3703 through cfn-lint's I1022, which it skips for CDK templates).
 *
 * cfn-lint is pinned in glue-scripts/requirements.txt and installed into .venv by `npm run setup`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const CFN_LINT = path.join(ROOT, '.venv', 'bin', 'cfn-lint');
const ACCEPTED_FILE = path.join(ROOT, 'test', 'app', 'cfn-lint-accepted-warnings.json');

interface Finding {
  Filename: string;
  Level: 'Error' | 'Warning' | 'Informational';
  Location: { Path: Array<string | number>; Start: { LineNumber: number } };
  Message: string;
  Rule: { Id: string };
}
interface Acceptance { stacks: string; resource: string; reason: string }
type Accepted = Record<string, { rule: string; accepted: Acceptance[] }>;
interface Template { file: string; stack: string; region: string }

function pinnedVersion(): string {
  const line = fs.readFileSync(path.join(ROOT, 'glue-scripts', 'requirements.txt'), 'utf8').split('\n').find((entry) => entry.startsWith('cfn-lint=='));
  if (!line) throw new Error('glue-scripts/requirements.txt pins no cfn-lint');
  return line.split('==')[1].trim();
}

/** The pinned cfn-lint, or a failure that says how to get it: never a silent skip. */
function cfnLint(): string {
  if (!fs.existsSync(CFN_LINT)) {
    throw new Error(`cfn-lint is missing (${path.relative(ROOT, CFN_LINT)}): run npm run setup (scripts/setup-spark.sh installs glue-scripts/requirements.txt into .venv)`);
  }
  const version = spawnSync(CFN_LINT, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (version !== `cfn-lint ${pinnedVersion()}`) {
    throw new Error(`${path.relative(ROOT, CFN_LINT)} is "${version}", glue-scripts/requirements.txt pins ${pinnedVersion()}: run npm run setup`);
  }
  return CFN_LINT;
}

/** `npx cdk synth` into a fresh directory, offline, as README's synth command runs. */
function cdkSynth(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lakeworks-cfn-lint-'));
  const result = spawnSync('npx', ['cdk', 'synth', '--output', outdir], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true', CDK_DISABLE_VERSION_CHECK: 'true' },
  });
  if (result.status !== 0) throw new Error(`npx cdk synth failed:\n${result.stderr}`);
  return outdir;
}

/** Every stack template of the assembly with its construct path and region, from the manifests. */
function templatesOf(outdir: string, directory = ''): Template[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, directory, 'manifest.json'), 'utf8'));
  return Object.values(manifest.artifacts as Record<string, any>).flatMap((artifact): Template[] => {
    if (artifact.type === 'cdk:cloud-assembly') return templatesOf(outdir, artifact.properties.directoryName);
    if (artifact.type !== 'aws:cloudformation:stack') return [];
    return [{ file: path.join(directory, artifact.properties.templateFile), stack: artifact.displayName, region: artifact.environment.split('/').at(-1) }];
  });
}

/** cfn-lint's findings (errors and warnings, its default) for templates, each checked against its stack's region. */
function lint(outdir: string, templates: Template[]): Finding[] {
  const binary = cfnLint();
  const regions = [...new Set(templates.map((template) => template.region))];
  return regions.flatMap((region) => {
    const files = templates.filter((template) => template.region === region).map((template) => template.file);
    const result = spawnSync(binary, ['--format', 'json', '--regions', region, '--', ...files], { cwd: outdir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    // Exit status is a bit mask of the levels found (2 error, 4 warning, 8 informational); 1 is a crash.
    if (result.status === null || (result.status & 1) === 1) throw new Error(`cfn-lint failed (status ${result.status}):\n${result.stderr}`);
    return JSON.parse(result.stdout) as Finding[];
  });
}

function matchesStack(pattern: string, stack: string): boolean {
  const expression = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
  return new RegExp(`^${expression}$`).test(stack);
}

describe('cfn-lint over every synthesized template', () => {
  const outdir = cdkSynth();
  const templates = templatesOf(outdir);
  const stackOf = new Map(templates.map((template) => [path.normalize(template.file), template.stack]));
  const findings = lint(outdir, templates).map((finding) => ({
    rule: finding.Rule.Id,
    level: finding.Level,
    stack: stackOf.get(path.normalize(finding.Filename)) ?? finding.Filename,
    resource: finding.Location.Path[0] === 'Resources' ? String(finding.Location.Path[1]) : finding.Location.Path.join('/'),
    message: finding.Message,
  }));
  const accepted = JSON.parse(fs.readFileSync(ACCEPTED_FILE, 'utf8')) as Accepted & { $comment?: string };
  const acceptances = Object.entries(accepted).filter(([rule]) => rule !== '$comment')
    .flatMap(([rule, entry]) => (entry as { accepted: Acceptance[] }).accepted.map((acceptance) => ({ rule, ...acceptance })));
  const acceptanceOf = (finding: (typeof findings)[number]) => acceptances.find((acceptance) => acceptance.rule === finding.rule
    && acceptance.resource === finding.resource && matchesStack(acceptance.stacks, finding.stack));

  test('lints every stack of every stage and the pipeline stack', () => {
    const stacks = templates.map((template) => template.stack);
    expect(stacks).toContain('pipeline');
    expect(stacks).toEqual(expect.arrayContaining(['dev/platform', 'prod/platform', 'dev/finance-storage', 'prod/marketing-ingest']));
    expect(templates.length).toBeGreaterThan(20);
  });

  test('reports no errors', () => {
    expect(findings.filter((finding) => finding.level === 'Error')).toEqual([]);
  });

  test('every warning is accepted for its rule, stack and resource', () => {
    expect(findings.filter((finding) => finding.level === 'Warning' && !acceptanceOf(finding))).toEqual([]);
  });

  test('every acceptance still matches a warning and gives its reason', () => {
    for (const acceptance of acceptances) {
      expect(acceptance.reason.length).toBeGreaterThan(40);
      expect({ ...acceptance, matched: findings.some((finding) => acceptanceOf(finding) === acceptance) }).toEqual({ ...acceptance, matched: true });
    }
  });
});

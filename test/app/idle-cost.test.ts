/**
 * The idle-cost estimate (docs/first-deploy.md "What an idle lake costs", quoted in README) counts
 * what the sample's `dev` templates hold: a new alarm, crawler, job or key changes the count, and
 * this test fails until the estimate is counted again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sampleApp } from '../helpers/sample-app';

const ROOT = path.join(__dirname, '..', '..');
const page = fs.readFileSync(path.join(ROOT, 'docs', 'first-deploy.md'), 'utf8');
const section = page.slice(page.indexOf('## What an idle lake costs'));

/** Each table row whose first cell starts with one of these counts resources of that type. */
const ROWS: Record<string, string> = {
  'KMS keys': 'AWS::KMS::Key',
  'Glue jobs': 'AWS::Glue::Job',
  'Glue crawlers': 'AWS::Glue::Crawler',
  'CloudWatch alarms': 'AWS::CloudWatch::Alarm',
};

function countsIn(assembly: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const file of fs.readdirSync(assembly).filter((name) => name.endsWith('.template.json'))) {
    const { Resources: resources = {} } = JSON.parse(fs.readFileSync(path.join(assembly, file), 'utf8'));
    for (const resource of Object.values<{ Type: string }>(resources)) counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
  }
  return counts;
}

test('the table counts what the dev cloud assembly holds', () => {
  const counts = countsIn(path.join(sampleApp().outdir, 'assembly-dev'));
  const rows = [...section.matchAll(/^\| ([^|]+?) \| (\d+) \| \$(\d+) \|$/gm)];
  const documented = Object.fromEntries(Object.keys(ROWS).map((what) => [what, Number(rows.find((row) => row[1].startsWith(what))?.[2])]));
  const synthesized = Object.fromEntries(Object.entries(ROWS).map(([what, type]) => [what, counts.get(type) ?? 0]));
  expect(documented).toEqual(synthesized);
});

test('the headline is the sum of the rows, and README quotes it', () => {
  const rows = [...section.matchAll(/^\| ([^|]+?) \| (\d+) \| \$(\d+) \|$/gm)];
  const total = rows.reduce((sum, row) => sum + Number(row[3]), 0);
  const headline = Number(/About \*\*\$(\d+) a month\*\*/.exec(section)?.[1]);
  expect(Math.abs(headline - total)).toBeLessThanOrEqual(Math.max(2, total * 0.05));
  expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`About $${headline} a month`);
});

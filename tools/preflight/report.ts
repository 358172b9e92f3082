/** The report as a person reads it (one line per finding, what to do under each problem) and as JSON. */
import type { PreflightReport } from './run-preflight';

const LABEL = { ok: 'OK', problem: 'PROBLEM', info: 'INFO' } as const;

export function formatReport(report: PreflightReport): string {
  const checkWidth = Math.max(...report.findings.map((finding) => finding.check.length));
  const labelWidth = Math.max(...Object.values(LABEL).map((label) => label.length));
  const indent = ' '.repeat(labelWidth + 2 + checkWidth + 2);
  const lines = [`Lakeworks preflight: environment ${report.environment}, account ${report.account}, ${report.region}`, ''];
  for (const finding of report.findings) {
    lines.push(`${LABEL[finding.status].padEnd(labelWidth)}  ${finding.check.padEnd(checkWidth)}  ${finding.message}`);
    if (finding.action) lines.push(`${indent}what to do: ${finding.action}`);
  }
  const problems = report.findings.filter((finding) => finding.status === 'problem');
  lines.push('');
  lines.push(problems.length === 0
    ? `Ready: no problems. Deploy with \`npx cdk deploy '${report.environment}/**'\` (docs/first-deploy.md).`
    : `Not ready: ${problems.length} problem${problems.length === 1 ? '' : 's'} (${[...new Set(problems.map((problem) => problem.check))].join(', ')}). `
      + 'Fix each as its "what to do" says, then run preflight again.');
  return lines.join('\n');
}

export function reportJson(report: PreflightReport): string {
  return JSON.stringify({ ...report, problems: report.findings.filter((finding) => finding.status === 'problem').length }, null, 2);
}

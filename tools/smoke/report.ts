/**
 * The pass/fail table a smoke run prints, one row per step. A failed row names the step, the
 * resource and the error as AWS (or the check) reported it; steps after a failure are shown as
 * SKIP, so the table always shows how far the run got.
 */

export type StepStatus = 'PASS' | 'FAIL' | 'SKIP';

export interface StepResult {
  readonly step: string;
  readonly resource: string;
  readonly status: StepStatus;
  readonly detail: string;
}

/** `AccessDeniedException: User: … is not authorized …`: AWS errors carry their code as the name. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}

export function formatReport(steps: readonly StepResult[]): string {
  const header: StepResult = { step: 'step', resource: 'resource', status: 'result' as StepStatus, detail: 'detail' };
  const rows = [header, ...steps];
  const width = (column: 'step' | 'resource' | 'status') => Math.max(...rows.map((row) => row[column].length));
  const widths = { step: width('step'), resource: width('resource'), status: width('status') };
  const line = (row: StepResult) => `${row.step.padEnd(widths.step)}  ${row.resource.padEnd(widths.resource)}  ${row.status.padEnd(widths.status)}  ${row.detail}`.trimEnd();
  const rule = `${'-'.repeat(widths.step)}  ${'-'.repeat(widths.resource)}  ${'-'.repeat(widths.status)}  ------`;
  const failed = steps.filter((step) => step.status === 'FAIL');
  const skipped = steps.filter((step) => step.status === 'SKIP').length;
  const verdict = failed.length === 0
    ? `PASS: ${steps.length - skipped} passed${skipped > 0 ? `, ${skipped} skipped` : ''}`
    : `FAIL: ${failed.map((step) => `${step.step} (${step.resource}): ${step.detail}`).join('\n      ')}`;
  return [line(header), rule, ...steps.map(line), '', verdict].join('\n');
}

/**
 * Runs the LoB's curation state machine (data quality -> conformed -> enriched) once and waits for
 * it. A run that ends in any state but SUCCEEDED fails with the state machine's own error and
 * cause; a run still going at the deadline is left running (it is harmless, and stopping a Glue
 * job half way helps nobody) and its ARN is in the message.
 */
import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { type Timing, formatDuration, poll, retryThrottled } from './polling';

export interface CurationRunOptions {
  readonly sfn: SFNClient;
  readonly stateMachineArn: string;
  /** Execution name: the run id, so the execution can be found from the smoke output. */
  readonly name: string;
  readonly timing: Timing;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly progress?: (line: string) => void;
}

export interface CurationRunResult {
  readonly executionArn: string;
  readonly elapsedMs: number;
}

/** Execution states after which nothing more will happen. */
const STILL_GOING = new Set(['RUNNING', 'PENDING_REDRIVE']);
const MAX_CAUSE = 600;

export async function runCuration(options: CurationRunOptions): Promise<CurationRunResult> {
  const { sfn, timing } = options;
  const started = timing.now();
  const start = await retryThrottled(() => sfn.send(new StartExecutionCommand({ stateMachineArn: options.stateMachineArn, name: options.name })), { timing });
  const executionArn = start.executionArn!;
  let status = 'RUNNING';
  return poll({
    what: `curation execution ${executionArn}`,
    timing,
    timeoutMs: options.timeoutMs,
    intervalMs: options.intervalMs ?? 15_000,
    check: async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      status = execution.status ?? 'UNKNOWN';
      if (STILL_GOING.has(status)) return undefined;
      if (status === 'SUCCEEDED') return { executionArn, elapsedMs: timing.now() - started };
      const cause = execution.cause && execution.cause.length > MAX_CAUSE ? `${execution.cause.slice(0, MAX_CAUSE)}…` : execution.cause;
      const reason = [execution.error, cause].filter(Boolean).join(': ') || 'no error or cause recorded';
      throw new Error(`execution ${options.name} ended ${status}: ${reason} (${executionArn})`);
    },
    onWait: (elapsed) => options.progress?.(`curation: ${status} after ${formatDuration(elapsed)} (timeout ${formatDuration(options.timeoutMs)})`),
    describeState: () => `still ${status}; it keeps running (aws stepfunctions stop-execution --execution-arn ${executionArn} stops it)`,
  });
}

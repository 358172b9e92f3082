/**
 * Waiting on AWS: a poll loop with a deadline, and a retry for single calls, both backing off when
 * a service throttles. Time comes from an injected `Timing` so tests run without real timers.
 *
 * The SDK clients already retry throttling a few times per call (standard retry mode); these add
 * patience on top, because a smoke run polls for minutes and a burst of throttling should slow it
 * down, not fail it.
 */

export interface Timing {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTiming: Timing = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Error names AWS services use for "slow down": S3, SQS, SSM, Step Functions, Athena and others. */
const THROTTLING_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled',
  'RequestThrottledException', 'SlowDown', 'ThrottledException', 'ProvisionedThroughputExceededException',
]);

export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const retryable = (error as { $retryable?: { throttling?: boolean } }).$retryable;
  return THROTTLING_NAMES.has(error.name) || retryable?.throttling === true;
}

/** A wait that ran out of time; the message says what was awaited and what was last seen. */
export class PollTimeoutError extends Error {
  public override readonly name = 'PollTimeoutError';
}

export interface PollOptions<T> {
  /** What is awaited, for the timeout message: "the transform's outputs". */
  readonly what: string;
  readonly timeoutMs: number;
  /** Between looks when nothing is throttled. */
  readonly intervalMs: number;
  /** Longest wait after repeated throttling (doubling from intervalMs). */
  readonly maxIntervalMs?: number;
  readonly timing: Timing;
  /** One look: the result when done, undefined to look again. Other errors end the wait. */
  readonly check: () => Promise<T | undefined>;
  /** Called before each wait with the time spent so far; the caller shows progress. */
  readonly onWait?: (elapsedMs: number) => void;
  /** Appended to the timeout message: what the last look saw. */
  readonly describeState?: () => string;
}

export async function poll<T>(options: PollOptions<T>): Promise<T> {
  const { timing, intervalMs } = options;
  const maxIntervalMs = options.maxIntervalMs ?? Math.max(intervalMs, 30_000);
  const started = timing.now();
  const deadline = started + options.timeoutMs;
  let interval = intervalMs;
  let lastThrottle: Error | undefined;
  for (;;) {
    try {
      const result = await options.check();
      if (result !== undefined) return result;
      interval = intervalMs;
      lastThrottle = undefined;
    } catch (error) {
      if (!isThrottling(error)) throw error;
      lastThrottle = error as Error;
      interval = Math.min(interval * 2, maxIntervalMs);
    }
    const now = timing.now();
    if (now >= deadline) {
      const state = options.describeState?.();
      const throttled = lastThrottle ? `; last look was throttled (${lastThrottle.name}: ${lastThrottle.message})` : '';
      throw new PollTimeoutError(`timed out after ${formatDuration(now - started)} waiting for ${options.what}${state ? `; ${state}` : ''}${throttled}`);
    }
    options.onWait?.(now - started);
    // Never sleep past the deadline: the last look happens at the deadline, not after it.
    await timing.sleep(Math.min(interval, deadline - now));
  }
}

export interface RetryOptions {
  readonly timing: Timing;
  /** Attempts in all, the first included. */
  readonly attempts?: number;
  readonly baseDelayMs?: number;
}

/** One AWS call, retried with exponential backoff while it is throttled; other errors pass through. */
export async function retryThrottled<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 6;
  let delay = options.baseDelayMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= attempts) throw error;
      await options.timing.sleep(delay);
      delay *= 2;
    }
  }
}

/** 950 ms, 42 s, 6m 12s. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1_000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/**
 * One request, with retries: the outcome is a 2xx response, a response that will not get better
 * by asking again (4xx other than 429), or giving up (attempts or the run's time budget spent).
 */
import type { Request } from './requests';
import { backoffMs, isRetryable, retryAfterMs } from './retry-policy';
import type { RateLimiter } from './rate-limiter';

export type FetchOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly contentType: string | null; readonly body: string; readonly retries: number }
  | { readonly kind: 'gave-up'; readonly reason: string; readonly retries: number };

export interface FetchContext {
  readonly limiter: RateLimiter;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly requestTimeoutMs: number;
  /** Epoch ms after which no request starts and no wait ends. */
  readonly deadline: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly onRetry: (attempt: number, why: string, waitMs: number) => void;
}

export async function fetchWithRetries(request: Request, context: FetchContext): Promise<FetchOutcome> {
  let retries = 0;
  let last = '';
  for (let attempt = 1; attempt <= context.maxAttempts; attempt += 1) {
    if (Date.now() >= context.deadline) return { kind: 'gave-up', reason: `the run's time budget ran out (last: ${last || 'no attempt'})`, retries };
    await context.limiter.acquire();
    let wait: number;
    try {
      const timeout = Math.min(context.requestTimeoutMs, Math.max(1, context.deadline - Date.now()));
      const response = await fetch(request.url, { headers: request.headers, signal: AbortSignal.timeout(timeout), redirect: 'follow' });
      const body = await response.text();
      if (!isRetryable(response.status)) return { kind: 'response', status: response.status, contentType: response.headers.get('content-type'), body, retries };
      last = `HTTP ${response.status}`;
      wait = (response.status === 429 ? retryAfterMs(response.headers.get('retry-after'), Date.now()) : undefined) ?? backoffMs(attempt, context.retryBaseMs);
    } catch (error) {
      // Timeouts, resets, a body cut off mid-stream: the network failed, not the API's answer.
      last = (error as Error).name === 'TimeoutError' ? `no response within ${context.requestTimeoutMs} ms` : `network error: ${(error as Error).message}`;
      wait = backoffMs(attempt, context.retryBaseMs);
    }
    if (attempt === context.maxAttempts) break;
    if (Date.now() + wait >= context.deadline) return { kind: 'gave-up', reason: `${last}; the next attempt (in ${wait} ms) would pass the run's time budget`, retries };
    context.onRetry(attempt, last, wait);
    retries += 1;
    await context.sleep(wait);
  }
  return { kind: 'gave-up', reason: `${last} after ${context.maxAttempts} attempts`, retries };
}

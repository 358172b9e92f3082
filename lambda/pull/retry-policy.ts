/**
 * When to retry a request and how long to wait: 429 honours Retry-After (seconds or an HTTP date),
 * 5xx and network errors or timeouts back off exponentially with full jitter. Nothing waits past
 * the run's deadline: a wait that would is not taken, and the request gives up instead.
 */

/** Statuses worth another attempt: throttling and server-side failures. */
export function isRetryable(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** Milliseconds a Retry-After header asks for, or undefined if it is absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Full-jitter exponential backoff: a random wait up to base * 2^(attempt-1). */
export function backoffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  return Math.round(random() * baseMs * 2 ** (attempt - 1));
}

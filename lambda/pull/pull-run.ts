/**
 * One run of an API pull: for each parameter set, the periods it has not completed (catch-up), and
 * for each, every page. Each 2xx page that is data is written as received; anything else is kept
 * under errors/ with its reason. A parameter set's state advances only past periods whose every
 * page was written, so what failed or gave up is pulled again by the next run.
 */
import { type ApiPullSpec, apiErrorKeys, apiPageKey, parameterSetId, parameterSets } from '../../contract/api-source';
import { fetchWithRetries } from './fetch-page';
import { RateLimiter } from './rate-limiter';
import type { RawStore } from './raw-store';
import { buildRequest, masked, periodsToPull } from './requests';
import { responseProblem, valueAt } from './response-check';

export interface PullSummary {
  requests: number;
  pagesWritten: number;
  errorsKept: number;
  retries: number;
  periodsCaughtUp: number;
  gaveUp: number;
  /** Parameter set id -> periods completed this run. */
  readonly completed: Record<string, string[]>;
  /** Keys of the pages written this run. */
  readonly written: string[];
}

export interface PullLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

export interface PullRunOptions {
  readonly spec: ApiPullSpec;
  readonly store: RawStore;
  readonly secret: string | undefined;
  /** The run's instant: its UTC date is the newest period. */
  readonly time: Date;
  /** Epoch ms by which the run must stop starting work. */
  readonly deadline: number;
  readonly log: PullLog;
  readonly sleep?: (ms: number) => Promise<void>;
}

const CONTENT_TYPES = { csv: 'text/csv', jsonl: 'application/x-ndjson', json: 'application/json', nested_json: 'application/json', parquet: 'application/vnd.apache.parquet' } as const;

export async function runPull(options: PullRunOptions): Promise<PullSummary> {
  const { spec, store, secret, log } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => { setTimeout(resolve, ms); }));
  const limiter = new RateLimiter(spec.requestsPerMinute, sleep);
  const summary: PullSummary = { requests: 0, pagesWritten: 0, errorsKept: 0, retries: 0, periodsCaughtUp: 0, gaveUp: 0, completed: {}, written: [] };
  const state = await store.readState(spec.dataset);
  const lastComplete: Record<string, string> = { ...state.lastComplete };
  const runPeriod = options.time.toISOString().slice(0, 10);

  for (const set of parameterSets(spec.parameters)) {
    const id = parameterSetId(set);
    const periods = periodsToPull(spec, runPeriod, lastComplete[id]);
    for (const period of periods) {
      const complete = await pullPeriod(set, period);
      if (!complete) break; // later periods wait: state must not skip over this one
      lastComplete[id] = period;
      (summary.completed[id] ??= []).push(period);
      if (period !== runPeriod) summary.periodsCaughtUp += 1;
      await store.writeState(spec.dataset, { lastComplete });
    }
  }
  return summary;

  async function pullPeriod(set: Record<string, string>, period: string): Promise<boolean> {
    let request = buildRequest(spec, set, period, secret);
    for (let page = 1; ; page += 1) {
      const shownUrl = masked(request.url, secret);
      const where = { dataset: spec.dataset, parameters: set, period, page, url: shownUrl };
      summary.requests += 1;
      const outcome = await fetchWithRetries(request, {
        limiter, maxAttempts: spec.maxAttempts, retryBaseMs: spec.retryBaseMs, requestTimeoutMs: spec.requestTimeoutSeconds * 1000, deadline: options.deadline, sleep,
        onRetry: (attempt, why, waitMs) => log.warn('retrying', { ...where, attempt, why: masked(why, secret), waitMs }),
      });
      summary.retries += outcome.retries;
      if (outcome.kind === 'gave-up') {
        summary.gaveUp += 1;
        log.error('gave up; the next run pulls this period again', { ...where, reason: masked(outcome.reason, secret) });
        return false;
      }
      const reason = outcome.status >= 200 && outcome.status < 300
        ? responseProblem(outcome.body, outcome.contentType, spec.format, spec.errorFields)
        : `HTTP ${outcome.status}: the API refused the request`;
      if (reason !== undefined) {
        const shownReason = masked(reason, secret);
        await store.keepError(apiErrorKeys(spec.dataset, set, period, page), masked(outcome.body, secret), {
          reason: shownReason, status: outcome.status, ...(outcome.contentType ? { contentType: outcome.contentType } : {}),
          url: shownUrl, period, parameters: set, page, receivedAt: new Date().toISOString(),
        });
        summary.errorsKept += 1;
        log.error('response kept under errors/, not written as data', { ...where, status: outcome.status, reason: shownReason });
        return false;
      }
      const key = apiPageKey(spec, set, period, page);
      await store.put(key, outcome.body, CONTENT_TYPES[spec.format]);
      summary.written.push(key);
      summary.pagesWritten += 1;
      const next = spec.pagination ? valueAt(JSON.parse(outcome.body), spec.pagination.nextUrl) : undefined;
      if (typeof next !== 'string' || next === '') return true;
      if (page >= spec.maxPages) {
        summary.gaveUp += 1;
        log.error(`more than ${spec.maxPages} pages; stopped`, where);
        return false;
      }
      // A relative next link resolves against the page that gave it.
      request = { url: new URL(next, request.url).toString(), headers: request.headers };
    }
  }
}

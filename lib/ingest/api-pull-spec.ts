/** A dataset's `source.api` as the pull Lambda runs it (contract/api-source.ts). */
import type { ApiPullSpec } from '../../contract/api-source';
import type { ApiSourceConfig } from '../config/api-source-schema';
import type { DatasetConfig } from '../config/lob-schema';

/** First backoff delay; with 5 attempts a request waits at most 1 + 2 + 4 + 8 s (full jitter). */
export const RETRY_BASE_MS = 1000;

export function apiPullSpec(dataset: Pick<DatasetConfig, 'name' | 'format'>, source: ApiSourceConfig, url: string = source.url): ApiPullSpec {
  return {
    dataset: dataset.name,
    format: source.response?.format ?? dataset.format,
    url,
    headers: source.headers,
    parameters: source.parameters,
    ...(source.pagination ? { pagination: { nextUrl: source.pagination.nextUrl } } : {}),
    errorFields: source.errorFields,
    requestsPerMinute: source.rateLimit.requestsPerMinute,
    maxAttempts: source.maxAttempts,
    retryBaseMs: RETRY_BASE_MS,
    requestTimeoutSeconds: source.requestTimeoutSeconds,
    catchUpPeriods: source.catchUpPeriods,
    maxPages: source.maxPages,
  };
}

/**
 * An API source as deploy and runtime share it: the pull spec the pull Lambda (lambda/pull/) runs,
 * what its URL and header templates may name, and where in the raw bucket its objects go:
 *
 *   landing/<dataset>/api/<k=v>/…/<period>/page-0001.<ext>          each response, as received
 *   errors/<dataset>/api/<k=v>/…/<period>/page-0001.body            a response that is not data…
 *   errors/<dataset>/api/<k=v>/…/<period>/page-0001.reason.json     …and why it was kept aside
 *   state/api/<dataset>.json                                        last complete period per parameter set
 *
 * Keys are functions of the request (parameters, period, page) only: a retried or repeated pull
 * overwrites what it wrote before, and the transform sees the same key again.
 */
import type { DatasetFormat } from './dataset';
import { rawPrefix } from './raw-layout';

/** `{name}` in a URL or header template. */
export const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** Replaced by the run's period (YYYY-MM-DD, UTC). */
export const PERIOD_PLACEHOLDER = 'period';
/** Replaced by the secret's value, read from Secrets Manager at run time. */
export const SECRET_PLACEHOLDER = 'secret';
/** Parameter values end up in raw keys: keep them to characters that need no escaping. */
export const PARAMETER_VALUE_PATTERN = /^[A-Za-z0-9._-]+$/;

export const API_FOLDER = 'api';
export const STATE_PREFIX = 'state/api/';

export interface ApiPagination {
  /** Path (object keys) of the next page's URL in a JSON response; absent or null ends the pull. */
  readonly nextUrl: readonly string[];
}

export interface ApiPullSpec {
  readonly dataset: string;
  /** How responses must read: the source's response format (api-response.ts), else the dataset's. */
  readonly format: DatasetFormat;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Each name's values; a pull requests the cartesian product. */
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  readonly pagination?: ApiPagination;
  /** Top-level keys whose presence makes a 200 response an error (`Note`, `Error Message`, ...). */
  readonly errorFields: readonly string[];
  readonly requestsPerMinute: number;
  /** Attempts per request, the first included. */
  readonly maxAttempts: number;
  /** First backoff delay; each retry doubles it (full jitter). */
  readonly retryBaseMs: number;
  readonly requestTimeoutSeconds: number;
  /** How many missed periods one run catches up, per parameter set. */
  readonly catchUpPeriods: number;
  /** Most pages per request before the pull stops and keeps the rest as an error. */
  readonly maxPages: number;
}

/** Names a template uses, in order of first use. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]))];
}

/** Whether the spec's URL or headers use `name`. */
export function specUses(spec: Pick<ApiPullSpec, 'url' | 'headers'>, name: string): boolean {
  return [spec.url, ...Object.values(spec.headers)].some((template) => placeholdersOf(template).includes(name));
}

/** Every combination of parameter values, names in config order. */
export function parameterSets(parameters: ApiPullSpec['parameters']): Array<Record<string, string>> {
  return Object.entries(parameters).reduce<Array<Record<string, string>>>(
    (sets, [name, values]) => sets.flatMap((set) => values.map((value) => ({ ...set, [name]: value }))),
    [{}],
  );
}

/** `symbol=IBM/market=US/`: the parameter set as folders. */
export function parameterFolders(set: Readonly<Record<string, string>>): string {
  return Object.entries(set).map(([name, value]) => `${name}=${value}/`).join('');
}

/** The state file's key for a parameter set (`symbol=IBM/market=US`, or `-` with no parameters). */
export function parameterSetId(set: Readonly<Record<string, string>>): string {
  return parameterFolders(set).slice(0, -1) || '-';
}

function pageName(page: number): string {
  return `page-${String(page).padStart(4, '0')}`;
}

export function extensionOf(format: DatasetFormat): string {
  return format === 'csv' ? 'csv' : format === 'jsonl' ? 'jsonl' : 'json';
}

/** The folder of a dataset's API responses: `landing/<dataset>/api/`. */
export function apiLandingPrefix(dataset: string): string {
  return `${rawPrefix(dataset, 'batch')}${API_FOLDER}/`;
}

/** Whether a raw key is an API response of `dataset`, which the transform reads as the source's response declares. */
export function isApiResponseKey(dataset: string, key: string): boolean {
  return key.startsWith(apiLandingPrefix(dataset));
}

/** Where a page of data goes: `landing/<dataset>/api/<k=v>/…/<period>/page-0001.<ext>`. */
export function apiPageKey(spec: Pick<ApiPullSpec, 'dataset' | 'format'>, set: Readonly<Record<string, string>>, period: string, page: number): string {
  return `${apiLandingPrefix(spec.dataset)}${parameterFolders(set)}${period}/${pageName(page)}.${extensionOf(spec.format)}`;
}

/** Where a response that is not data goes, and its reason: `errors/<dataset>/api/…/page-0001.body|.reason.json`. */
export function apiErrorKeys(dataset: string, set: Readonly<Record<string, string>>, period: string, page: number): { body: string; reason: string } {
  const base = `errors/${dataset}/${API_FOLDER}/${parameterFolders(set)}${period}/${pageName(page)}`;
  return { body: `${base}.body`, reason: `${base}.reason.json` };
}

/** Where the pull records how far each parameter set got. */
export function apiStateKey(dataset: string): string {
  return `${STATE_PREFIX}${dataset}.json`;
}

/** The state file: the last period each parameter set pulled completely. */
export interface ApiPullState {
  readonly lastComplete: Readonly<Record<string, string>>;
}

/** What the reason file next to a kept response says. */
export interface ApiErrorReason {
  readonly reason: string;
  readonly status?: number;
  readonly contentType?: string;
  /** The request URL with the secret masked. */
  readonly url: string;
  readonly period: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly page: number;
  readonly receivedAt: string;
}

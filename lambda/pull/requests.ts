/**
 * From a pull spec to concrete requests: templates filled for one parameter set and period, the
 * secret masked wherever a request is shown, and which periods a run pulls.
 */
import { type ApiPullSpec, PERIOD_PLACEHOLDER, PLACEHOLDER, SECRET_PLACEHOLDER, specUses } from '../../contract/api-source';

export interface Request {
  readonly url: string;
  readonly headers: Record<string, string>;
}

/** `template` with each `{name}` replaced; URL templates get URL-encoded values. */
function fill(template: string, values: Readonly<Record<string, string>>, encode: boolean): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template names {${name}}, which the pull has no value for`);
    return encode ? encodeURIComponent(value) : value;
  });
}

export function buildRequest(spec: Pick<ApiPullSpec, 'url' | 'headers'>, set: Readonly<Record<string, string>>, period: string, secret: string | undefined): Request {
  const values: Record<string, string> = { ...set, [PERIOD_PLACEHOLDER]: period, ...(secret === undefined ? {} : { [SECRET_PLACEHOLDER]: secret }) };
  return {
    url: fill(spec.url, values, true),
    headers: Object.fromEntries(Object.entries(spec.headers).map(([name, template]) => [name, fill(template, values, false)])),
  };
}

/** `text` with every occurrence of the secret (raw and URL-encoded) replaced: what logs and error files show. */
export function masked(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return [secret, encodeURIComponent(secret)].reduce((result, form) => result.split(form).join('***'), text);
}

/** `YYYY-MM-DD` of a UTC instant. */
export function periodOf(time: Date): string {
  return time.toISOString().slice(0, 10);
}

function nextDay(period: string): string {
  const date = new Date(`${period}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return periodOf(date);
}

/**
 * The periods a run pulls for one parameter set: those after its last complete one up to the
 * run's own, at most `catchUpPeriods` of them (the oldest first, so state advances in order).
 * A URL without `{period}` returns the latest data, which covers missed days: one request.
 */
export function periodsToPull(spec: Pick<ApiPullSpec, 'url' | 'headers' | 'catchUpPeriods'>, runPeriod: string, lastComplete: string | undefined): string[] {
  if (!specUses(spec, PERIOD_PLACEHOLDER) || lastComplete === undefined || lastComplete >= runPeriod) {
    return lastComplete !== undefined && lastComplete >= runPeriod ? [] : [runPeriod];
  }
  const periods: string[] = [];
  for (let period = nextDay(lastComplete); period <= runPeriod; period = nextDay(period)) periods.push(period);
  return periods.slice(0, spec.catchUpPeriods);
}

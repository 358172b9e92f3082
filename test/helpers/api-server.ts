/**
 * A loopback HTTP server for the pull tests and local mode's test: realistic API answers, including
 * Alpha Vantage's daily series (TIME_SERIES_DAILY, FX_DAILY) and its 200-with-"Note" throttling
 * body, pagination by next link, 429 with Retry-After, 5xx then success, an HTML error page and a
 * truncated JSON body.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EUR_USD_BARS, fxDaily } from './alpha-vantage';

export const API_KEY = 'sk-test-0123456789abcdef';

export function dailySeries(symbol: string, day: string): string {
  return JSON.stringify({
    'Meta Data': { '1. Information': 'Daily Prices (open, high, low, close) and Volumes', '2. Symbol': symbol, '3. Last Refreshed': day, '4. Output Size': 'Compact', '5. Time Zone': 'US/Eastern' },
    'Time Series (Daily)': { [day]: { '1. open': '187.15', '2. high': '188.44', '3. low': '183.88', '4. close': '185.64', '5. volume': '4261153' } },
  }, null, 4);
}

export interface ApiServer {
  readonly url: string;
  /** Every request's path and query, in order. */
  readonly requests: string[];
  /** When each request arrived (epoch ms). */
  readonly times: number[];
  close(): Promise<void>;
}

export async function startApiServer(): Promise<ApiServer> {
  const requests: string[] = [];
  const times: number[] = [];
  const seen = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url!, 'http://localhost');
    requests.push(`${url.pathname}${url.search}`);
    times.push(Date.now());
    const count = (seen.get(url.pathname + url.search) ?? 0) + 1;
    seen.set(url.pathname + url.search, count);
    const json = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
      response.end(body);
    };
    const authorized = url.searchParams.get('apikey') === API_KEY || request.headers.authorization === `Bearer ${API_KEY}`;
    if (!authorized) return json(401, '{"message":"invalid api key"}');
    const symbol = url.searchParams.get('symbol') ?? '';
    const day = url.searchParams.get('date') ?? '2024-01-02';
    switch (url.pathname) {
      case '/query':
        if (url.searchParams.get('function') === 'FX_DAILY') {
          const from = url.searchParams.get('from_symbol') ?? '';
          const to = url.searchParams.get('to_symbol') ?? '';
          return json(200, fxDaily(from, to, EUR_USD_BARS));
        }
        if (symbol === 'NOTE') return json(200, JSON.stringify({ Note: 'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute.' }));
        if (symbol === 'HTML') {
          response.writeHead(200, { 'content-type': 'text/html' });
          return response.end('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');
        }
        if (symbol === 'TRUNC') {
          const body = dailySeries(symbol, day).slice(0, 120);
          return json(200, body);
        }
        if (symbol === 'SLOW' && count === 1) return json(429, '{"message":"slow down"}', { 'retry-after': '1' });
        if (symbol === 'FLAKY' && count <= 2) return json(503, '{"message":"unavailable"}');
        if (symbol === 'DOWN') return json(500, '{"message":"down"}');
        return json(200, dailySeries(symbol, day));
      case '/items': {
        const page = Number(url.searchParams.get('page') ?? '1');
        const next = page < 3 ? `/items?page=${page + 1}&date=${day}&apikey=${API_KEY}` : null;
        return json(200, JSON.stringify({ data: [{ id: page * 10 + 1 }, { id: page * 10 + 2 }], links: { next } }));
      }
      default:
        return json(404, '{"message":"no such endpoint"}');
    }
  });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    times,
    close: () => new Promise<void>((resolve, reject) => { server.close((error) => (error ? reject(error) : resolve())); }),
  };
}

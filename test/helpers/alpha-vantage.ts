/**
 * Alpha Vantage response bodies as the API sends them (pretty-printed, values as strings, newest
 * day first, "Meta Data" before the series): TIME_SERIES_DAILY per ticker and FX_DAILY per pair.
 */

export interface DailyBar {
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
}

export interface DailyStockBar extends DailyBar {
  readonly volume: string;
}

/** TIME_SERIES_DAILY (outputsize=compact) for one ticker; `bars` by trading day. */
export function timeSeriesDaily(symbol: string, bars: Readonly<Record<string, DailyStockBar>>): string {
  const days = Object.keys(bars).sort().reverse();
  return JSON.stringify({
    'Meta Data': {
      '1. Information': 'Daily Prices (open, high, low, close) and Volumes',
      '2. Symbol': symbol,
      '3. Last Refreshed': days[0],
      '4. Output Size': 'Compact',
      '5. Time Zone': 'US/Eastern',
    },
    'Time Series (Daily)': Object.fromEntries(days.map((day) => [day, {
      '1. open': bars[day].open, '2. high': bars[day].high, '3. low': bars[day].low, '4. close': bars[day].close, '5. volume': bars[day].volume,
    }])),
  }, null, 4);
}

/** FX_DAILY (outputsize=compact) for one currency pair; `bars` by day. */
export function fxDaily(from: string, to: string, bars: Readonly<Record<string, DailyBar>>): string {
  const days = Object.keys(bars).sort().reverse();
  return JSON.stringify({
    'Meta Data': {
      '1. Information': 'Forex Daily Prices (open, high, low, close)',
      '2. From Symbol': from,
      '3. To Symbol': to,
      '4. Output Size': 'Compact',
      '5. Last Refreshed': `${days[0]} 21:55:00`,
      '6. Time Zone': 'UTC',
    },
    'Time Series FX (Daily)': Object.fromEntries(days.map((day) => [day, {
      '1. open': bars[day].open, '2. high': bars[day].high, '3. low': bars[day].low, '4. close': bars[day].close,
    }])),
  }, null, 4);
}

/** IBM's first trading days of 2024. */
export const IBM_BARS: Readonly<Record<string, DailyStockBar>> = {
  '2024-01-02': { open: '161.0000', high: '161.7300', low: '159.8600', close: '161.5000', volume: '4364578' },
  '2024-01-03': { open: '160.4100', high: '161.0000', low: '158.6300', close: '160.1000', volume: '4223637' },
  '2024-01-04': { open: '159.8300', high: '161.3500', low: '159.3000', close: '160.8600', volume: '3849612' },
};

/** EUR/USD on the same days. */
export const EUR_USD_BARS: Readonly<Record<string, DailyBar>> = {
  '2024-01-02': { open: '1.10410', high: '1.10450', low: '1.09400', close: '1.09430' },
  '2024-01-03': { open: '1.09420', high: '1.09520', low: '1.08920', close: '1.09220' },
  '2024-01-04': { open: '1.09200', high: '1.09980', low: '1.09130', close: '1.09480' },
};

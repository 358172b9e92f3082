"""Finance sample data as the feeds deliver it: one stock CSV per trading day, one nested FX JSON."""
import json
from datetime import date, timedelta

TICKERS = ("AAPL", "AMZN", "GOOG", "MSFT", "NVDA")
PAIRS = (("USD", "EUR"), ("USD", "GBP"), ("USD", "JPY"))
HEADER = "ticker,date,open,high,low,close,adj_close,volume"


def close_of(ticker, day):
    """A deterministic, wandering price: tickers and days differ, nothing is constant."""
    seed = sum(ord(c) for c in ticker) * 7919 + day.toordinal() * 104729
    return round(50 + (seed % 20000) / 100 + (day.toordinal() % 37) * 0.37, 4)


def stock_csv(day, tickers=TICKERS, overrides=None):
    lines = [HEADER]
    for ticker in tickers:
        close = (overrides or {}).get(ticker, close_of(ticker, day))
        lines.append("{},{},{},{},{},{},{},{}".format(ticker, day.isoformat(), close - 1, close + 1, close - 2, close, close, 1000 + day.day))
    return "\n".join(lines) + "\n"


def fx_json(day, pairs=PAIRS):
    document = {}
    for base, quote in pairs:
        rate = round(0.5 + (sum(map(ord, quote)) % 50) / 100 + (day.toordinal() % 11) / 1000, 6)
        document.setdefault(base, {}).setdefault(quote, {})[day.isoformat()] = {"open": rate, "high": rate, "low": rate, "close": rate}
    return json.dumps(document)


def stock_delivery(day, **kwargs):
    return {"dataset": "stock_prices", "key": "landing/stock_prices/{}.csv".format(day.isoformat()), "text": stock_csv(day, **kwargs)}


def fx_delivery(day):
    return {"dataset": "fx_rates", "key": "landing/fx_rates/{}.json".format(day.isoformat()), "text": fx_json(day)}


def trading_days(start, count):
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


__all__ = ["TICKERS", "close_of", "date", "fx_delivery", "stock_csv", "stock_delivery", "trading_days"]

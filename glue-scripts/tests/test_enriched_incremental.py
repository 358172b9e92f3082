"""Incremental enriched runs give exactly the tables a backfill gives, over a history built to reach
every path of the recomputation: a ticker trading throughout, one suspended for months (its
windows' history lies beyond the first search span), one listed late (no history at all), late
corrections deep in the past, near the lake's first day, and right after a suspension; and FX
rates quoted against two base currencies (independent slices)."""
from datetime import timedelta

import pytest

from finance_data import HEADER, close_of, trading_days
from lake import LocalLake, at

DAYS = trading_days(__import__("datetime").date(2023, 6, 1), 130)
SUSPENDED = set(DAYS[40:85])          # BBB does not trade for 45 trading days
LISTED = DAYS[100]                     # CCC's first day


def tickers_on(day):
    names = ["AAA"]
    if day not in SUSPENDED:
        names.append("BBB")
    if day >= LISTED:
        names.append("CCC")
    return names


def stock(day, overrides=None):
    lines = [HEADER]
    for ticker in tickers_on(day):
        close = (overrides or {}).get(ticker, close_of(ticker, day))
        lines.append("{},{},{},{},{},{},{},{}".format(ticker, day.isoformat(), close, close, close, close, close, 100 + day.day))
    return {"dataset": "stock_prices", "key": "landing/stock_prices/{}.csv".format(day.isoformat()), "text": "\n".join(lines) + "\n"}


def fx(day, bump=0.0):
    import json
    document = {
        "USD": {quote: {day.isoformat(): {"open": 1, "high": 1, "low": 1, "close": round(0.5 + i / 10 + (day.toordinal() % 7) / 100 + bump, 6)}}
                for i, quote in enumerate(["EUR", "GBP", "JPY"])},
        "EUR": {quote: {day.isoformat(): {"open": 1, "high": 1, "low": 1, "close": round(0.8 + i / 10 + (day.toordinal() % 5) / 100 + bump, 6)}}
                for i, quote in enumerate(["GBP", "CHF"])},
    }
    return {"dataset": "fx_rates", "key": "landing/fx_rates/{}.json".format(day.isoformat()), "text": json.dumps(document)}


STEPS = [
    # (label, deliveries, arrival) — each step is one night's deliveries, then the 04:00 run.
    ("history", [d for day in DAYS[:60] for d in (stock(day), fx(day))]),
    ("next days and corrections", [d for day in DAYS[60:100] for d in (stock(day), fx(day))] + [
        stock(DAYS[2], {"AAA": 1.5}),             # near the first day: the search reaches past the lake's start
        stock(DAYS[30], {"AAA": 2.5, "BBB": 3.5}),  # deep in the past
        fx(DAYS[20], bump=0.25),                   # two base currencies' slices on one day
    ]),
    ("a new ticker, and a correction after the suspension", [d for day in DAYS[100:130] for d in (stock(day), fx(day))] + [
        stock(DAYS[86], {"BBB": 4.5}),             # BBB's first day back: its history lies before the suspension
        stock(DAYS[101], {"CCC": 5.5}),            # CCC's second day: it has almost no history
    ]),
    ("a quiet night", []),
]


@pytest.fixture(scope="module")
def runs(spark, tmp_path_factory):
    lake = LocalLake(spark, "finance", tmp_path_factory.mktemp("incremental"), "inc")
    delivered, results = [], []
    night = at(1).replace(year=2023, month=10)
    for index, (label, deliveries) in enumerate(STEPS):
        arrival = night + timedelta(days=index)
        if deliveries:
            lake.deliver(deliveries, arrival)
            delivered.append((deliveries, arrival))
        reports = lake.curate(arrival + timedelta(hours=6))
        rebuilt = LocalLake(spark, "finance", tmp_path_factory.mktemp("rebuilt"), "rebuilt_{}".format(index))
        for items, when in delivered:
            rebuilt.deliver(items, when)
        rebuilt.curate(arrival + timedelta(hours=6), mode="backfill")
        results.append((label, reports, {table: (lake.rows(layer, table), rebuilt.rows(layer, table))
                                         for layer, table in [("conformed", "daily_prices"), ("conformed", "fx_daily"),
                                                              ("enriched", "stock_metrics"), ("enriched", "fx_cross")]}))
    return results


@pytest.mark.parametrize("step", range(len(STEPS)))
def test_incremental_tables_equal_a_backfill(runs, step):
    label, reports, tables = runs[step]
    for table, (incremental, rebuilt) in tables.items():
        assert len(incremental) == len(rebuilt), (label, table)
        assert incremental == rebuilt, (label, table)


def test_the_runs_after_the_first_were_incremental(runs):
    for label, reports, _ in runs[1:]:
        for table, report in reports.items():
            assert report.reason is None, (label, table, report.reason)


def test_a_quiet_night_reads_nothing(runs):
    _, reports, _ = runs[-1]
    assert reports["stock_metrics"].outcome.startswith("no changes")
    assert reports["fx_cross"].outcome.startswith("no changes")

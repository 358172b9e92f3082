"""The finance lake's first real week, through the real transform and the real jobs: first run,
daily runs that read only what arrived, a day with no data, a late correction, a replayed old
file. Every day the lake is compared with a lake built from the same deliveries in one backfill:
incremental runs and a rebuild give the same tables."""
from datetime import date

import pytest

from finance_data import close_of, fx_delivery, stock_delivery
from lake import LocalLake, at

TABLES = [("conformed", "daily_prices"), ("conformed", "fx_daily"), ("enriched", "stock_metrics"), ("enriched", "fx_cross")]


def day(n):
    return date(2024, 1, n)


@pytest.fixture(scope="module")
def week(spark, tmp_path_factory):
    """Runs the week once; tests read what each day did."""
    lake = LocalLake(spark, "finance", tmp_path_factory.mktemp("week"), "week")
    deliveries = []
    days = {}

    def deliver(items, when):
        deliveries.append((items, when))
        return lake.deliver(items, when)

    def compare_with_backfill(label):
        rebuilt = LocalLake(spark, "finance", tmp_path_factory.mktemp("rebuilt-" + label), "rebuilt_" + label)
        for items, when in deliveries:
            rebuilt.deliver(items, when)
        rebuilt.curate(at(31, 4))
        return {table: (lake.rows(layer, table), rebuilt.rows(layer, table)) for layer, table in TABLES}

    # Tuesday: the first delivery; the first scheduled run creates every table.
    days["first"] = {"transform": deliver([stock_delivery(day(2)), fx_delivery(day(2))], at(2)), "curation": lake.curate(at(3, 4))}
    days["first"]["rows"] = {table: len(lake.rows(layer, table)) for layer, table in TABLES}
    days["first"]["compare"] = compare_with_backfill("first")
    # Wednesday: one more day.
    snapshots = {table: lake.snapshot(layer, table) for layer, table in TABLES}
    days["second"] = {"transform": deliver([stock_delivery(day(3)), fx_delivery(day(3))], at(3)), "curation": lake.curate(at(4, 4)), "before": snapshots}
    # Thursday: no file arrives.
    snapshots = {table: lake.snapshot(layer, table) for layer, table in TABLES}
    days["empty"] = {"curation": lake.curate(at(5, 4)), "before": snapshots, "after": {table: lake.snapshot(layer, table) for layer, table in TABLES}}
    # Friday: Friday's prices, and a corrected file for Tuesday (same key, new version).
    corrected = {"AAPL": 999.5}
    days["correction"] = {
        "transform": deliver([stock_delivery(day(5)), fx_delivery(day(5)), stock_delivery(day(2), overrides=corrected)], at(5)),
        "curation": lake.curate(at(6, 4)),
    }
    days["correction"]["compare"] = compare_with_backfill("correction")
    # Saturday: an old message is replayed (Wednesday's file, as first delivered).
    snapshots = {table: lake.snapshot(layer, table) for layer, table in TABLES}
    replay = dict(stock_delivery(day(3)), version="v-" + at(3).isoformat().replace("+00:00", "Z"), ingestedAt=at(3).isoformat().replace("+00:00", "Z"))
    days["replay"] = {"transform": deliver([replay], at(6)), "curation": lake.curate(at(7, 4)), "before": snapshots,
                      "after": {table: lake.snapshot(layer, table) for layer, table in TABLES}}
    days["replay"]["compare"] = compare_with_backfill("replay")
    return lake, days


def written(results, dataset):
    return sum(result["written"] for result in results if "/{}/".format(dataset) in result["manifest"])


def test_the_first_run_creates_every_table_from_what_the_transform_wrote(week):
    lake, days = week
    first = days["first"]
    reports = first["curation"]
    assert reports["daily_prices"].reason.startswith("first run")
    assert reports["daily_prices"].read["stock_prices"] == written(first["transform"], "stock_prices") == 5
    assert reports["fx_daily"].read["fx_rates"] == written(first["transform"], "fx_rates") == 3
    # USD->EUR, USD->GBP, USD->JPY give every ordered pair of EUR, GBP, JPY through USD.
    assert first["rows"] == {"daily_prices": 5, "fx_daily": 3, "stock_metrics": 5, "fx_cross": 6}


def test_a_daily_run_reads_only_what_arrived_since_the_last(week):
    lake, days = week
    second = days["second"]["curation"]
    assert second["daily_prices"].reason is None
    assert second["daily_prices"].read == {"stock_prices": 5}
    assert second["fx_daily"].read == {"fx_rates": 3}
    # The enriched run reads the changed tickers' history its windows need: 2 days of 5 tickers.
    assert second["stock_metrics"].read == {"daily_prices": 10}
    assert second["stock_metrics"].staged == 5


def test_a_day_without_data_succeeds_and_changes_nothing(week):
    lake, days = week
    empty = days["empty"]
    assert empty["curation"]["daily_prices"].outcome == "no new data"
    assert empty["curation"]["stock_metrics"].outcome.startswith("no changes")
    assert empty["before"] == empty["after"], "a day without data must not commit a snapshot"


def test_a_late_correction_replaces_the_day_and_the_metrics_its_windows_reach(week):
    lake, days = week
    correction = days["correction"]
    prices = {(row[0], row[1]): row for row in lake.rows("conformed", "daily_prices")}
    assert float(prices[("AAPL", day(2))][5]) == 999.5
    assert float(prices[("AMZN", day(2))][5]) == close_of("AMZN", day(2))
    metrics = correction["curation"]["stock_metrics"]
    # The corrected file re-delivers all five tickers' Tuesday (a new ingested_at for each), so
    # every ticker's metrics from Tuesday on are recomputed; only AAPL's and the new Friday change.
    assert metrics.reason is None and metrics.staged == 5 * 3
    assert metrics.written == 3 + 4
    for table, (incremental, rebuilt) in correction["compare"].items():
        assert incremental == rebuilt, table


def test_a_replayed_old_file_changes_nothing(week):
    lake, days = week
    replay = days["replay"]
    assert replay["curation"]["daily_prices"].read == {"stock_prices": 5}
    assert replay["curation"]["daily_prices"].outcome.startswith("0 of 5")
    assert replay["before"] == replay["after"]
    for table, (incremental, rebuilt) in replay["compare"].items():
        assert incremental == rebuilt, table


def test_the_first_day_matches_a_backfill(week):
    _, days = week
    for table, (incremental, rebuilt) in days["first"]["compare"].items():
        assert incremental == rebuilt, table

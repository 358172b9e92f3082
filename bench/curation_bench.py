"""One day's curation over 10, 100 and 1,000 trading days of history: does a daily run's work grow
with new data only, or with the lake's age?

    npm run bench:curation                       (add -- --json for one machine-readable line)
    npm run bench:curation -- --days 10 100 1000 --tickers 100 --runs 3

For each history length it builds the finance lake: every trading day's stock file and FX document
through the real transform, then a backfill of the curated tables (not measured). Then, `--runs`
times, the next day arrives and the scheduled run curates it; each run is measured: wall time per
job and rows read per table (Spark's own scan metrics, MERGE targets and changelogs included). The
figures are the medians of the runs. Targets (docs/benchmarks.md): rows read within +/-10% from 100
to 1,000 days of history. This is a benchmark, not a test: it prints figures and exits 0.
"""
import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
for folder in ("glue-scripts/stand_ins", "glue-scripts/src", "glue-scripts"):
    sys.path.insert(0, os.path.join(REPOSITORY, folder))
os.environ["TZ"] = "UTC"
time.tzset()

from local.lake import LocalLake  # noqa: E402
from local.scan_metrics import ScanRows  # noqa: E402
from local.spark_session import local_session  # noqa: E402
from lakeworks_curation.settings import configure_session  # noqa: E402

HEADER = "ticker,date,open,high,low,close,adj_close,volume"
PAIRS = ["EUR", "GBP", "JPY"]


# The measured days are the same calendar days whatever the history's length, so month partitions
# line up alike and only the length of history differs between measurements.
FIRST_MEASURED_DAY = date(2024, 3, 4)


def trading_days(history, runs):
    """`history` trading days before FIRST_MEASURED_DAY, then `runs` trading days from it."""
    before, day = [], FIRST_MEASURED_DAY - timedelta(days=1)
    while len(before) < history:
        if day.weekday() < 5:
            before.append(day)
        day -= timedelta(days=1)
    after, day = [], FIRST_MEASURED_DAY
    while len(after) < runs:
        if day.weekday() < 5:
            after.append(day)
        day += timedelta(days=1)
    return list(reversed(before)) + after


def stock(day, tickers):
    lines = [HEADER]
    for index in range(tickers):
        close = round(20 + ((index * 7919 + day.toordinal() * 104729) % 50000) / 100, 4)
        lines.append("T{:04d},{},{},{},{},{},{},{}".format(index, day.isoformat(), close, close + 1, close - 1, close, close, 1000 + index))
    return {"dataset": "stock_prices", "key": "landing/stock_prices/{}.csv".format(day.isoformat()), "text": "\n".join(lines) + "\n"}


def fx(day):
    rates = {quote: {day.isoformat(): {"open": 1, "high": 1, "low": 1, "close": round(0.5 + i / 10 + (day.toordinal() % 13) / 1000, 6)}} for i, quote in enumerate(PAIRS)}
    return {"dataset": "fx_rates", "key": "landing/fx_rates/{}.json".format(day.isoformat()), "text": json.dumps({"USD": rates})}


def measure(spark, history, tickers, runs, workspace):
    days = trading_days(history, runs)
    root = os.path.join(workspace, "history-{}".format(history))
    lake = LocalLake(spark, "finance", root, "bench_{}".format(history))
    layer_of = {database: layer for layer, database in lake.plan["databases"].items()}
    arrival = datetime(2024, 1, 1, 22, tzinfo=timezone.utc)
    for start in range(0, history, 250):
        lake.deliver([d for day in days[start:min(start + 250, history)] for d in (stock(day, tickers), fx(day))], arrival)
    lake.curate(arrival + timedelta(hours=6), mode="backfill")
    measured = []
    for run in range(runs):
        arrival += timedelta(days=1)
        day = days[history + run]
        lake.deliver([stock(day, tickers), fx(day)], arrival)
        jobs = {}
        for job in lake.plan["jobs"]:
            scans = ScanRows(spark)
            started = time.perf_counter()
            report = lake.curate(arrival + timedelta(hours=6), tables=[job["table"]])[job["table"]]
            seconds = time.perf_counter() - started
            rows = {}
            for table, count in scans.collect().items():
                database, _, name = table.partition(".")
                rows["{}.{}".format(layer_of.get(database, database), name)] = count
            jobs["{}.{}".format(job["layer"], job["table"])] = {"seconds": seconds, "rowsRead": rows, "rowsWritten": report.written, "reason": report.reason}
        measured.append(jobs)
    shutil.rmtree(root, ignore_errors=True)
    median = {}
    for job in measured[0]:
        tables = sorted({table for run in measured for table in run[job]["rowsRead"]})
        median[job] = {
            "seconds": round(statistics.median(run[job]["seconds"] for run in measured), 2),
            "rowsRead": {table: int(statistics.median(run[job]["rowsRead"].get(table, 0) for run in measured)) for table in tables},
            "rowsWritten": int(statistics.median(run[job]["rowsWritten"] for run in measured)),
            "incremental": all(run[job]["reason"] is None for run in measured),
        }
    return median


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--tickers", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    workspace = tempfile.mkdtemp(prefix="lakeworks-curation-bench-")
    spark = configure_session(local_session(os.path.join(workspace, "spark"), app_name="lakeworks-curation-bench"))
    results = {}
    try:
        for history in args.days:
            results[history] = measure(spark, history, args.tickers, args.runs, workspace)
    finally:
        spark.stop()
        shutil.rmtree(workspace, ignore_errors=True)
    totals = {history: sum(sum(job["rowsRead"].values()) for job in jobs.values()) for history, jobs in results.items()}
    # Growth is measured between the two longest histories (100 and 1,000 days by default).
    middle, largest = (sorted(args.days)[-2:] if len(args.days) > 1 else (args.days[0], args.days[0]))
    growth = (totals[largest] - totals[middle]) / totals[middle] if totals.get(middle) else None
    summary = {"tickers": args.tickers, "runs": args.runs, "results": results, "rowsReadPerDay": totals,
               "growth": {"from": middle, "to": largest, "rowsRead": growth, "target": 0.10, "met": growth is not None and abs(growth) <= 0.10}}
    if args.json:
        print(json.dumps(summary, sort_keys=True))
        return
    print("One day's curation, {} tickers, median of {} daily runs".format(args.tickers, args.runs))
    for history, jobs in results.items():
        print("\n{} days of history: {} rows read in all".format(history, totals[history]))
        for job, figures in jobs.items():
            read = ", ".join("{} {}".format(table, count) for table, count in figures["rowsRead"].items())
            print("  {:<24} {:>6.1f} s  wrote {:>4}  read {}".format(job, figures["seconds"], figures["rowsWritten"], read))
    if growth is not None:
        print("\nrows read per day, {} -> {} days of history: {:+.1%} (target within +/-10%: {})".format(
            middle, largest, growth, "met" if abs(growth) <= 0.10 else "NOT met"))


if __name__ == "__main__":
    main()

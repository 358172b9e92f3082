"""What a conformed run guarantees besides its rows: a wrong result, a failed rule or broken SQL
leaves the table and its record of what was read exactly as they were (the next good run picks the
data up); a re-run changes nothing; a changed declaration rebuilds the table in place; Spark reads
the transform's dates and timestamps of any year."""
import json
from datetime import date

import pytest
from lakeworks_curation import iceberg_table
from lakeworks_curation.job import run_curation
from lakeworks_curation.quality import DataQualityFailure
from lakeworks_curation.result_schema import SchemaMismatch
from lakeworks_curation.sql_errors import CuratedSqlError

from finance_data import stock_delivery
from lake import LocalLake, at


@pytest.fixture()
def lake(spark, tmp_path):
    lake = LocalLake(spark, "finance", tmp_path, "guarantees_{}".format(abs(hash(str(tmp_path))) % 10**8))
    lake.deliver([stock_delivery(date(2024, 1, 2))], at(2))
    lake.curate(at(3, 4), tables=["daily_prices"])
    lake.deliver([stock_delivery(date(2024, 1, 3))], at(3))
    return lake


def state(lake):
    name = lake.name("conformed", "daily_prices")
    properties = iceberg_table.properties(lake.spark, name)
    return lake.snapshot("conformed", "daily_prices"), properties.get(iceberg_table.STANDARDIZED_WATERMARK), properties.get(iceberg_table.DEFINITION)


def run(lake, now, **overrides):
    return run_curation(lake.spark, lake.request(lake.job("daily_prices"), **overrides), lake.quality, now=now)


def assert_untouched_then_recovers(lake, before):
    assert state(lake) == before, "a failed run must not commit rows or move its watermark"
    report = run(lake, at(4, 5))
    assert report.read == {"stock_prices": 5} and report.written == 5
    assert len(lake.rows("conformed", "daily_prices")) == 10


def test_a_result_unlike_the_declaration_fails_before_anything_is_written(lake):
    before = state(lake)
    sql = open(lake.job("daily_prices")["arguments"]["--sql_path"]).read().replace("volume,", "CAST(volume AS INT) AS volume,")
    with pytest.raises(SchemaMismatch, match=r"daily_prices\.sql\): the SQL result does not match the declared columns: volume: the SQL returns int, the table declares bigint"):
        run(lake, at(4, 4), sql=sql)
    assert_untouched_then_recovers(lake, before)


def test_a_failed_quality_rule_fails_before_anything_is_written(lake):
    before = state(lake)
    spec = json.loads(lake.job("daily_prices")["arguments"]["--table_spec"])
    spec["tableRuleset"] = 'Rules = [\n  IsPrimaryKey "ticker" "date",\n  ColumnValues "close" < 0\n]'
    with pytest.raises(DataQualityFailure, match=r'ColumnValues "close" < 0: 5 rows do not meet the constraint'):
        run(lake, at(4, 4), spec=spec)
    assert_untouched_then_recovers(lake, before)


def test_sql_spark_cannot_run_names_its_file_and_sparks_error(lake):
    before = state(lake)
    with pytest.raises(CuratedSqlError, match=r"glue-scripts/sql/finance/conformed/daily_prices\.sql: Spark cannot run this SQL: .*no_such_column"):
        run(lake, at(4, 4), sql="SELECT no_such_column FROM stock_prices")
    assert_untouched_then_recovers(lake, before)


def test_running_again_changes_nothing(lake):
    first = run(lake, at(4, 4))
    snapshot = lake.snapshot("conformed", "daily_prices")
    again = run(lake, at(4, 4, 30))
    assert first.written == 5
    # The second run looks again at what arrived within the overlap before the first (none here) ...
    assert again.read == {"stock_prices": 0} and again.outcome == "no new data"
    # ... and commits no rows.
    assert lake.snapshot("conformed", "daily_prices") == snapshot
    # Deliveries a run re-reads (they arrived just before the previous run) change nothing either.
    lake.deliver([stock_delivery(date(2024, 1, 4))], at(5, 3, 30))
    assert run(lake, at(5, 4)).written == 5
    snapshot = lake.snapshot("conformed", "daily_prices")
    overlap = run(lake, at(5, 4, 10))
    assert overlap.read == {"stock_prices": 5} and overlap.written == 0
    assert lake.snapshot("conformed", "daily_prices") == snapshot
    assert len(lake.rows("conformed", "daily_prices")) == 15


def test_a_new_column_rebuilds_the_table_in_place(lake):
    run(lake, at(4, 4))
    job = lake.job("daily_prices")
    spec = json.loads(job["arguments"]["--table_spec"])
    spec["columns"].insert(-1, {"name": "range_pct", "type": "double", "nullable": True})
    sql = open(job["arguments"]["--sql_path"]).read().replace("volume, ingested_at", "volume, CAST((high - low) / close AS DOUBLE) AS range_pct, ingested_at")
    report = run(lake, at(5, 4), spec=spec, sql=sql)
    assert report.reason == "the table's declaration or SQL changed"
    assert report.changes == ["added range_pct"]
    rows = lake.spark.table(lake.name("conformed", "daily_prices"))
    assert rows.columns[-2:] == ["range_pct", "ingested_at"]
    assert rows.filter("range_pct IS NULL").count() == 0 and rows.count() == 10
    # The next run is incremental again, under the new declaration.
    assert run(lake, at(6, 4), spec=spec, sql=sql).reason is None


def test_a_column_whose_type_cannot_change_in_place_is_refused_with_what_to_do(lake):
    spec = json.loads(lake.job("daily_prices")["arguments"]["--table_spec"])
    for column in spec["columns"]:
        if column["name"] == "ticker":
            column["type"] = "int"
    sql = open(lake.job("daily_prices")["arguments"]["--sql_path"]).read().replace("SELECT ticker,", "SELECT CAST(length(ticker) AS INT) AS ticker,")
    before = state(lake)
    with pytest.raises(ValueError, match="column ticker is string and is declared int; Iceberg cannot change that type in place. Declare a new column instead"):
        run(lake, at(4, 4), spec=spec, sql=sql)
    assert state(lake)[0] == before[0]


def test_dates_and_timestamps_of_any_year_are_read(spark, tmp_path):
    """Spark 3.5 refuses dates before 1582-10-15 and timestamps before 1900 in Parquet written
    without Spark's own metadata, unless told the values are already proleptic Gregorian
    (spark.sql.parquet.datetimeRebaseModeInRead, which the jobs set to CORRECTED). The sample's
    dates are partition values (in paths), so a copy of the config keeps finance's trading date in
    the data files and lets it reach back to the year 1000; marketing's leads carry timestamps."""
    import shutil

    import config_variant

    config = config_variant.copy_with(tmp_path / "config", "finance", lambda text: text
                                        .replace('range: { min: "1990-01-01" }', 'range: { min: "1000-01-01" }')
                                        .replace("partitionColumns: [date]\n    primaryKey: [ticker, date]", "primaryKey: [ticker, date]"))
    finance = LocalLake(spark, "finance", tmp_path / "finance", "old_dates", config_dir=str(config))
    csv = "ticker,date,open,high,low,close,adj_close,volume\nOLD,1500-03-01,1,1,1,1,1,1\nNEW,2024-01-02,2,2,2,2,2,2\n"
    assert finance.deliver([{"dataset": "stock_prices", "key": "landing/stock_prices/old.csv", "text": csv}], at(2))[0]["written"] == 2

    marketing = LocalLake(spark, "marketing", tmp_path / "marketing", "old_times")
    header = "lead_id,created_at,full_name,email,phone,company,region,score"
    text = "\n".join([header, "L1,1700-10-14T09:00:00Z,,,,,EMEA,1.5", "L2,1899-12-31T23:59:59Z,,,,,AMER,2.5", "L3,2024-01-02T10:00:00Z,,,,,APAC,3.5"]) + "\n"
    assert marketing.deliver([{"dataset": "leads", "key": "landing/leads/old.csv", "text": text}], at(2))[0]["written"] == 3

    # The difference shows: Spark's default refuses these files ...
    spark.conf.set("spark.sql.parquet.datetimeRebaseModeInRead", "EXCEPTION")
    try:
        for folder in (tmp_path / "finance" / "standardized" / "stock_prices", tmp_path / "marketing" / "standardized" / "leads"):
            with pytest.raises(Exception, match="INCONSISTENT_BEHAVIOR_CROSS_VERSION"):
                spark.read.parquet(str(folder)).collect()
    finally:
        spark.conf.set("spark.sql.parquet.datetimeRebaseModeInRead", "CORRECTED")
    # ... and the jobs, with the session settings Glue runs them with, read every value as written.
    finance.curate(at(3, 4), tables=["daily_prices"])
    assert sorted(row[0] for row in spark.table(finance.name("conformed", "daily_prices")).select("date").collect()) == [date(1500, 3, 1), date(2024, 1, 2)]
    marketing.curate(at(3, 4), tables=["leads", "lead_counts_by_region"])
    created = {row[0]: row[1] for row in spark.table(marketing.name("conformed", "leads")).select("lead_id", "created_date").collect()}
    assert created == {"L1": date(1700, 10, 14), "L2": date(1899, 12, 31), "L3": date(2024, 1, 2)}
    shutil.rmtree(config)

"""A standardized dataset partitioned by the month of its date (`{column: date, granularity: month,
as: trade_month}` in config): the transform writes trade_month=YYYY-MM/ folders with the date kept
in the files, the catalog declares trade_month a string partition key (Athena projects it as a date
by month), and the jobs read every row with both the date and its month, incremental run and
backfill alike."""
from datetime import date

import config_variant
from lakeworks_curation.standardized import read_all, read_files, standardized_table

from lake import LocalLake, at

HEADER = "ticker,date,open,high,low,close,adj_close,volume\n"
DAYS = [date(2023, 12, 29), date(2024, 1, 2), date(2024, 1, 31), date(2024, 2, 1)]


def monthly(text):
    return text.replace("partitionColumns: [date]\n    primaryKey: [ticker, date]",
                        "partitionColumns: [{ column: date, granularity: month, as: trade_month }]\n    primaryKey: [ticker, date]")


def test_month_partitions_are_read_with_their_dates(spark, tmp_path):
    config = config_variant.copy_with(tmp_path / "config", "finance", monthly)
    lake = LocalLake(spark, "finance", tmp_path / "finance", "monthly", config_dir=str(config))
    csv = HEADER + "".join("{},{},1,1,1,{},1,1\n".format(ticker, day.isoformat(), n) for n, day in enumerate(DAYS) for ticker in ("AAA", "BBB"))
    [result] = lake.deliver([{"dataset": "stock_prices", "key": "landing/stock_prices/history.csv", "text": csv}], at(2))
    assert result["written"] == 8
    assert sorted({key.split("/")[1] for key in result["outputs"] if key.endswith(".parquet")}) == ["trade_month=2023-12", "trade_month=2024-01", "trade_month=2024-02"]

    database = lake.plan["databases"]["standardized"]
    table = standardized_table(spark, database, "stock_prices")
    assert table.partition_columns == ["trade_month"]
    assert {field.name: field.dataType.simpleString() for field in table.schema}["trade_month"] == "string"
    assert "date" in table.schema.names

    # A run's new files (by the manifest) and a backfill (every file) read the same rows.
    files = ["{}/{}".format(table.location.rstrip("/"), key.split("/", 1)[1]) for key in result["outputs"] if key.endswith(".parquet")]
    for rows in (read_files(spark, table, files, {}), read_all(spark, table, {})):
        read = sorted((row["ticker"], row["date"], row["trade_month"]) for row in rows.collect())
        assert read == sorted((ticker, day, day.strftime("%Y-%m")) for day in DAYS for ticker in ("AAA", "BBB"))

    # The conformed job reads them through the same path and keeps every trading day.
    lake.curate(at(3, 4), tables=["daily_prices"])
    assert sorted(row[0] for row in spark.table(lake.name("conformed", "daily_prices")).select("date").distinct().collect()) == DAYS

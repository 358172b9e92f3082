"""The named queries (config/queries/<lob>/*.sql) answer from the curated Iceberg tables built from
the samples by the real transform and the real jobs.

They run on DuckDB, closer to Athena's Trino dialect than Spark SQL is, over each table's current
snapshot: the data files Iceberg's own metadata lists for it (the `files` metadata table). The
tables are copy-on-write, so a snapshot has no delete files and its data files are exactly its
rows; the test checks that, so the shortcut cannot silently go wrong. (DuckDB's Iceberg extension
cannot be installed offline.) Their syntax is checked against Trino's grammar in
test/analytics/named-queries-trino.test.ts."""
import os
import re

import duckdb
import pytest

from lake import LocalLake, at
from test_standardized_as_deployed import sample_deliveries

QUERIES = os.path.join(os.path.dirname(__file__), "..", "..", "config", "queries")


def named_queries(lob):
    folder = os.path.join(QUERIES, lob)
    return {name[: -len(".sql")]: open(os.path.join(folder, name), encoding="utf-8").read() for name in sorted(os.listdir(folder)) if name.endswith(".sql")}


def render(template):
    """Each {{layer}} as the DuckDB schema holding that layer's tables."""
    return re.sub(r"\{\{(standardized|conformed|enriched)\}\}", lambda match: match.group(1), template)


@pytest.fixture(scope="module", params=["finance", "marketing"])
def answers(request, spark, tmp_path_factory):
    lob = request.param
    lake = LocalLake(spark, lob, tmp_path_factory.mktemp("queries-" + lob), "queries")
    lake.deliver(sample_deliveries(lob), at(2))
    lake.curate(at(3, 4))
    duck = duckdb.connect()
    duck.execute("SET TimeZone = 'UTC'")
    for job in lake.plan["jobs"]:
        name = lake.name(job["layer"], job["table"])
        assert spark.sql("SELECT count(*) FROM {}.delete_files".format(name)).first()[0] == 0, name
        files = [row[0].replace("file:", "", 1) for row in spark.sql("SELECT file_path FROM {}.files".format(name)).collect()]
        duck.execute("CREATE SCHEMA IF NOT EXISTS {}".format(job["layer"]))
        if files:
            duck.execute("CREATE VIEW {}.{} AS SELECT * FROM read_parquet([{}])".format(job["layer"], job["table"], ", ".join("'{}'".format(f) for f in files)))
        else:
            columns = spark.table(name).schema.simpleString()[len("struct<"):-1]
            duck.execute("CREATE TABLE {}.{} ({})".format(job["layer"], job["table"], columns.replace(":", " ")))
        assert duck.execute("SELECT count(*) FROM {}.{}".format(job["layer"], job["table"])).fetchone()[0] == spark.table(name).count()
    results = {}
    for query, template in named_queries(lob).items():
        cursor = duck.execute(render(template))
        columns = [column[0] for column in cursor.description]
        results[query] = [dict(zip(columns, row)) for row in cursor.fetchall()]
    return lob, results


def test_the_named_queries_answer_from_the_samples(answers):
    lob, results = answers
    if lob == "finance":
        # Day-on-day moves on 2024-01-03: NVDA -1.24%, AMZN -0.97%, AAPL -0.75%, GOOG +0.57%, MSFT -0.07%.
        assert [row["ticker"] for row in results["top_movers"]] == ["NVDA", "AMZN", "AAPL", "GOOG", "MSFT"]
        assert results["top_movers"][0]["daily_return"] == pytest.approx(47.569 / 48.168 - 1, rel=1e-9)
        assert [(str(r["date"]), r["from_currency"], r["to_currency"], r["via_currency"]) for r in results["fx_cross_history"]] == [("2024-01-02", "EUR", "GBP", "USD")]
        assert results["fx_cross_history"][0]["cross_rate"] == pytest.approx(0.7901 / 0.9139, rel=1e-12)
        assert results["moving_averages"], "some ticker closes above its 20-day average on the last day"
    else:
        assert [(row["region"], int(row["leads"])) for row in results["leads_by_region"]] == [("AMER", 1), ("APAC", 1), ("EMEA", 1)]
        # /pricing has two valid events; / and /signup one each (the other / event was quarantined).
        assert [(row["page"], int(row["events"])) for row in results["top_pages"]] == [("/pricing", 2), ("/", 1), ("/signup", 1)]

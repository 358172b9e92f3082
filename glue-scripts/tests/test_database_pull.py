"""Database sources on PySpark with the PostgreSQL JDBC driver against a PostgreSQL server on
loopback: a first load, an incremental load, a re-run, an empty increment, a run that stopped
half way and resumes, by an updated-at timestamp and by an increasing id; through the Glue entry
point with the arguments the stack passes."""
import glob
import gzip
import json
import os

import pytest
from lakeworks_curation.storage import read_text, write_text
from lakeworks_ingest.database_pull import DatabaseSource, pull

from local.postgres import LocalPostgres
from local.run_curation import entry_point


@pytest.fixture(scope="module")
def postgres():
    server = LocalPostgres().start()
    server.sql("""
        CREATE TABLE customers (id integer PRIMARY KEY, name text, tier text, balance numeric(12,2), updated_at timestamp NOT NULL);
        INSERT INTO customers VALUES
          (1, 'Ada', 'gold', 10.50, '2024-01-01 09:00:00'),
          (2, 'Grace', NULL, 0, '2024-01-01 10:00:00'),
          (3, 'Linus', 'silver', -3.25, '2024-01-01 11:00:00');
        CREATE TABLE orders (order_id bigint PRIMARY KEY, customer_id integer, amount numeric(10,2));
        INSERT INTO orders SELECT n, n % 3 + 1, n * 1.5 FROM generate_series(1, 5) AS n;
    """)
    yield server
    server.stop()


def spec(server, **overrides):
    value = {"version": 1, "dataset": "customers", "jdbcUrl": server.jdbc_url, "table": "customers",
             "incremental": {"column": "updated_at", "kind": "timestamp", "lookbackSeconds": 0}}
    value.update(overrides)
    return DatabaseSource.parse(value)


CREDENTIALS = {"username": "lakeworks", "password": "local-only-password"}


def lines(folder):
    rows = []
    for file in sorted(glob.glob(os.path.join(folder.replace("file://", ""), "*.json.gz"))):
        with gzip.open(file, "rt", encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    return rows


def folders(raw, dataset):
    return sorted(os.listdir(os.path.join(raw, "landing", dataset)))


def test_first_load_incremental_rerun_and_empty_increment(spark, postgres, tmp_path):
    raw, state = "file://{}".format(tmp_path / "raw"), "file://{}".format(tmp_path / "raw" / "state" / "database" / "customers.json")
    spark.sparkContext._jsc.hadoopConfiguration().set("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")

    first = pull(spark, spec(postgres), CREDENTIALS, raw, state)
    assert (first.rows, first.range_from, first.range_to) == (3, None, "2024-01-01T11:00:00+00:00")
    assert sorted(row["id"] for row in lines(first.folder)) == [1, 2, 3]
    # As the transform reads them: ISO timestamps with their offset, NULL fields left out, decimals as numbers.
    grace = next(row for row in lines(first.folder) if row["id"] == 2)
    assert grace == {"id": 2, "name": "Grace", "balance": 0.0, "updated_at": "2024-01-01T10:00:00.000000Z"}
    assert json.loads(read_text(spark, state)) == {"committed": "2024-01-01T11:00:00+00:00", "pending": None}
    assert not glob.glob(str(tmp_path / "raw" / "landing" / "customers" / "*" / "_SUCCESS"))

    postgres.sql("INSERT INTO customers VALUES (4, 'Edsger', 'gold', 1, '2024-01-02 08:00:00'); UPDATE customers SET tier = 'gold', updated_at = '2024-01-02 09:30:00' WHERE id = 2")
    second = pull(spark, spec(postgres), CREDENTIALS, raw, state)
    assert (second.rows, second.range_from, second.range_to) == (2, "2024-01-01T11:00:00+00:00", "2024-01-02T09:30:00+00:00")
    assert sorted(row["id"] for row in lines(second.folder)) == [2, 4]

    again = pull(spark, spec(postgres), CREDENTIALS, raw, state)
    assert again.outcome == "no new rows" and again.folder is None
    assert folders(tmp_path / "raw", "customers") == ["updated_at=20240101T110000000000Z_20240102T093000000000Z", "updated_at=start_20240101T110000000000Z"]


def test_a_run_that_stopped_half_way_resumes_its_range_and_rewrites_its_folder(spark, postgres, tmp_path):
    raw, state = "file://{}".format(tmp_path / "raw"), "file://{}".format(tmp_path / "state.json")
    pull(spark, spec(postgres), CREDENTIALS, raw, state)
    postgres.sql("INSERT INTO customers VALUES (5, 'Barbara', NULL, 2, '2024-01-03 08:00:00')")
    # The run recorded its range, wrote part of it, and stopped; then more rows arrived.
    committed = json.loads(read_text(spark, state))["committed"]
    write_text(spark, state, json.dumps({"committed": committed, "pending": {"from": committed, "to": "2024-01-03T08:00:00+00:00"}}))
    partial = tmp_path / "raw" / "landing" / "customers" / "updated_at=20240102T093000000000Z_20240103T080000000000Z"
    partial.mkdir(parents=True)
    (partial / "part-left-behind.json.gz").write_bytes(gzip.compress(b'{"id": 5}\n'))
    postgres.sql("INSERT INTO customers VALUES (6, 'Donald', NULL, 3, '2024-01-03 09:00:00')")

    resumed = pull(spark, spec(postgres), CREDENTIALS, raw, state)
    assert resumed.resumed and resumed.range_to == "2024-01-03T08:00:00+00:00"
    assert [row["id"] for row in lines(resumed.folder)] == [5]
    assert not (partial / "part-left-behind.json.gz").exists()
    # The next run picks up what arrived after the resumed range, once.
    after = pull(spark, spec(postgres), CREDENTIALS, raw, state)
    assert [row["id"] for row in lines(after.folder)] == [6]


def test_lookback_reads_again_below_the_mark(spark, postgres, tmp_path):
    raw, state = "file://{}".format(tmp_path / "raw"), "file://{}".format(tmp_path / "state.json")
    pull(spark, spec(postgres), CREDENTIALS, raw, state)
    postgres.sql("INSERT INTO customers VALUES (7, 'Late', NULL, 1, '2024-01-04 00:00:00')")
    report = pull(spark, spec(postgres, incremental={"column": "updated_at", "kind": "timestamp", "lookbackSeconds": 24 * 3600}), CREDENTIALS, raw, state)
    # Rows within a day below the mark come again; the conformed layer keeps one row per key.
    assert sorted(row["id"] for row in lines(report.folder)) == [2, 5, 6, 7]


def test_an_increasing_id_and_a_query(spark, postgres, tmp_path):
    raw, state = "file://{}".format(tmp_path / "raw"), "file://{}".format(tmp_path / "state.json")
    source = spec(postgres, dataset="orders", table=None, query="SELECT order_id, customer_id, amount FROM orders WHERE amount > 2",
                  incremental={"column": "order_id", "kind": "increasing"})
    first = pull(spark, source, CREDENTIALS, raw, state)
    assert sorted(row["order_id"] for row in lines(first.folder)) == [2, 3, 4, 5]
    postgres.sql("INSERT INTO orders VALUES (6, 1, 9.99), (7, 2, 1.00)")
    second = pull(spark, source, CREDENTIALS, raw, state)
    # The mark is the query's: order 7 is not in its rows, so the range ends at 6.
    assert (second.range_from, second.range_to) == (5, 6)
    assert [row["order_id"] for row in lines(second.folder)] == [6]


def test_the_entry_point_with_the_stacks_arguments(spark, postgres, tmp_path):
    secrets = {"arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders-db": CREDENTIALS}
    pull_database = entry_point("pull_database")
    source = {"version": 1, "dataset": "orders", "jdbcUrl": postgres.jdbc_url, "table": "orders", "incremental": {"column": "order_id", "kind": "increasing"}}
    report = pull_database.main(["pull_database.py", "--JOB_NAME", "orders-pull", "--source_spec", json.dumps(source),
                                 "--secret_id", "arn:aws:secretsmanager:eu-west-1:111111111111:secret:orders-db",
                                 "--raw_location", "file://{}".format(tmp_path / "raw"), "--state_location", "file://{}".format(tmp_path / "state.json")],
                                credentials=secrets.__getitem__)
    assert report.rows >= 5
    with pytest.raises(Exception, match="password authentication failed"):
        pull(spark, spec(postgres), {"username": "lakeworks", "password": "wrong"}, "file://{}".format(tmp_path / "raw2"), "file://{}".format(tmp_path / "s2.json"))

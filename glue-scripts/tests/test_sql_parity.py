"""Every curated SQL file gives the same rows on Spark (what Glue runs) and on DuckDB, over inputs
with ties and NULLs: the SQL's meaning does not depend on an engine's unstated choices (row order
among ties, where NULLs sort, integer or decimal arithmetic)."""
import json
import math
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

import duckdb
import pytest
from lakeworks_curation.spec import TableSpec, spark_type

INGESTED_AT = {"Name": "ingested_at", "Type": "timestamp"}


def _sources(plan, job):
    """Each table the SQL reads, with its columns and primary key (None: duplicates allowed)."""
    spec = TableSpec.parse(json.loads(job["arguments"]["--table_spec"]))
    if spec.layer == "conformed":
        table = next(t["tableInput"] for t in plan["standardizedTables"] if t["tableInput"]["Name"] == spec.source)
        columns = [(c["Name"], c["Type"], True) for c in table["StorageDescriptor"]["Columns"] + table.get("PartitionKeys", []) + [INGESTED_AT]]
        return spec, {spec.source: (columns, None)}
    sources = {}
    for name in spec.raw["sources"]:
        source = TableSpec.parse(json.loads(next(j for j in plan["jobs"] if j["table"] == name)["arguments"]["--table_spec"]))
        sources[name] = ([(c.name, c.type, c.nullable) for c in source.columns], source.primary_key)
    return spec, sources


def _value(rng, name, type_, index):
    """Few distinct values per column, so keys repeat, windows tie and groups gather rows."""
    if type_ == "string":
        return rng.choice(["USD", "EUR", "GBP"] if "currency" in name else ["AAA", "BBB", "CCC"] if name in ("ticker", "region", "page") else ["a", "b", "c", "d"])
    if type_ in ("int", "bigint"):
        return rng.randint(0, 5)
    if type_ == "double":
        return rng.choice([0.5, 1.25, 2.0, -3.5])
    if type_ == "boolean":
        return rng.random() < 0.5
    if type_ == "date":
        return date(2024, 1, 1) + timedelta(days=index % 9)
    if type_ == "timestamp":
        return datetime(2024, 1, 1) + timedelta(hours=rng.randint(0, 72))
    if type_.startswith("decimal"):
        scale = int(type_.split(",")[1].rstrip(")"))
        return Decimal(rng.randint(1, 400)) / Decimal(4) + Decimal(rng.randint(0, 10)).scaleb(-scale)
    raise ValueError(type_)


def _rows(columns, primary_key, seed, count=240):
    rng = random.Random(seed)
    rows, keys = [], set()
    for index in range(count):
        row = tuple(None if nullable and rng.random() < 0.2 else _value(rng, name, type_, index) for name, type_, nullable in columns)
        if primary_key:
            key = tuple(row[[c[0] for c in columns].index(k)] for k in primary_key)
            if key in keys:
                continue
            keys.add(key)
        rows.append(row)
    return rows


def _duckdb_type(type_):
    return {"string": "VARCHAR", "int": "INTEGER", "bigint": "BIGINT", "double": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE", "timestamp": "TIMESTAMP"}.get(type_, type_.upper())


def _normal(value):
    if isinstance(value, float):
        return round(value, 9) if math.isfinite(value) else value
    return value


def _sorted(rows):
    return sorted((tuple(_normal(v) for v in row) for row in rows), key=lambda row: tuple((v is None, str(v)) for v in row))


def _cases():
    cases = []
    for lob in ("finance", "marketing"):
        for layer in ("conformed", "enriched"):
            cases.append((lob, layer))
    return cases


@pytest.mark.parametrize("lob,layer", _cases())
def test_each_sql_file_gives_the_same_rows_on_spark_and_duckdb(spark, plans, lob, layer):
    plan = plans[lob]
    jobs = [job for job in plan["jobs"] if job["layer"] == layer]
    assert jobs
    for seed in (1, 2, 3):
        for job in jobs:
            spec, sources = _sources(plan, job)
            sql = open(job["arguments"]["--sql_path"], encoding="utf-8").read()
            duck = duckdb.connect()
            duck.execute("SET TimeZone = 'UTC'")
            for name, (columns, primary_key) in sources.items():
                rows = _rows(columns, primary_key, seed)
                schema = ", ".join("`{}` {}".format(n, spark_type(t).simpleString()) for n, t, _ in columns)
                spark.createDataFrame(rows, schema).createOrReplaceTempView(name)
                duck.execute("CREATE TABLE {} ({})".format(name, ", ".join('"{}" {}'.format(n, _duckdb_type(t)) for n, t, _ in columns)))
                if rows:
                    duck.executemany("INSERT INTO {} VALUES ({})".format(name, ", ".join("?" for _ in columns)), [list(r) for r in rows])
            on_spark = _sorted(tuple(row) for row in spark.sql(sql).collect())
            on_duckdb = _sorted(duck.execute(sql).fetchall())
            assert on_spark, "{}: the generated inputs produce no rows; the comparison would prove nothing".format(spec.table)
            assert len(on_spark) == len(on_duckdb), spec.table
            for a, b in zip(on_spark, on_duckdb):
                for x, y in zip(a, b):
                    if isinstance(x, float) or isinstance(y, float):
                        assert x == pytest.approx(y, rel=1e-12, abs=1e-12), (spec.table, a, b)
                    else:
                        assert x == y, (spec.table, a, b)

"""An incremental pull of one table (or query) over JDBC into the raw layer.

Each run reads the rows whose watermark column is above the last run's high-water mark and at most
the column's largest value when the run starts, and writes them as gzip JSON lines under
`landing/<dataset>/<column>=<from>_<to>/`, where the transform picks them up like any upload. The
folder is a function of the range, and the range is recorded before it is read:

1. the state says what was committed last (`committed`) and, if a run stopped half way, the range
   it was reading (`pending`); a run resumes a pending range exactly, so a re-run rewrites the same
   folder instead of adding another;
2. the rows of the range are written (overwriting that folder);
3. the range's upper bound becomes `committed`.

So a re-run neither skips nor duplicates rows in raw. A run with no new rows writes nothing.
`lookback` re-reads a little below the mark (rows a long transaction committed late, after the
mark moved past them); the conformed layer keeps one row per key, so a row read twice is harmless.
Deletes in the source are not carried over.
"""
import json
import re
from decimal import Decimal
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Optional

from lakeworks_curation.storage import join, read_text, write_text

SPEC_VERSION = 1
KINDS = ("increasing", "timestamp")

# The JDBC drivers Glue ships, by URL scheme (named explicitly: DriverManager does not see a driver
# loaded from a job's extra jars).
DRIVERS = {
    "postgresql": "org.postgresql.Driver",
    "mysql": "com.mysql.cj.jdbc.Driver",
    "sqlserver": "com.microsoft.sqlserver.jdbc.SQLServerDriver",
    "oracle": "oracle.jdbc.OracleDriver",
}


def driver_of(jdbc_url):
    scheme = jdbc_url.split(":")[1] if jdbc_url.startswith("jdbc:") else None
    if scheme not in DRIVERS:
        raise ValueError("jdbcUrl must start with jdbc:<{}>:; got {!r}".format("|".join(DRIVERS), jdbc_url.split("//")[0]))
    return DRIVERS[scheme]


@dataclass(frozen=True)
class DatabaseSource:
    dataset: str
    jdbc_url: str
    relation: str
    column: str
    kind: str
    lookback: object
    partitions: int
    fetch_size: int

    @classmethod
    def parse(cls, value):
        spec = json.loads(value) if isinstance(value, str) else value
        if spec.get("version") != SPEC_VERSION:
            raise ValueError("source spec version {!r}; this job reads version {}".format(spec.get("version"), SPEC_VERSION))
        incremental = spec["incremental"]
        if incremental["kind"] not in KINDS:
            raise ValueError("incremental.kind must be one of {}; got {!r}".format(", ".join(KINDS), incremental["kind"]))
        relation = "({}) AS source".format(spec["query"]) if spec.get("query") else spec["table"]
        lookback = incremental.get("lookbackSeconds", 0) if incremental["kind"] == "timestamp" else incremental.get("lookbackValues", 0)
        return cls(spec["dataset"], spec["jdbcUrl"], relation, incremental["column"], incremental["kind"], lookback,
                   int(spec.get("partitions", 4)), int(spec.get("fetchSize", 10000)))


@dataclass
class PullReport:
    dataset: str
    range_from: Optional[str] = None
    range_to: Optional[str] = None
    rows: int = 0
    folder: Optional[str] = None
    resumed: bool = False
    outcome: str = ""

    def summary(self):
        return {"dataset": self.dataset, "from": self.range_from, "to": self.range_to, "rows": self.rows, "folder": self.folder,
                "resumed": self.resumed, "outcome": self.outcome}


def _encode(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat() if value.tzinfo else value.replace(tzinfo=timezone.utc).isoformat()
    return value


def _decode(value, kind):
    if value is None:
        return None
    return datetime.fromisoformat(value) if kind == "timestamp" else value


def _literal(value, kind):
    if kind == "timestamp":
        return "TIMESTAMP '{}'".format(value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f"))
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _folder_part(value, kind):
    text = value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ") if kind == "timestamp" else str(value)
    return re.sub(r"[^0-9A-Za-z.\-]", "-", text)


def _reader(spark, source, credentials):
    return (spark.read.format("jdbc").option("url", source.jdbc_url).option("driver", driver_of(source.jdbc_url)).option("user", credentials["username"])
            .option("password", credentials["password"]).option("fetchsize", source.fetch_size))


def pull(spark, source, credentials, raw_location, state_uri):
    report = PullReport(source.dataset)
    state = json.loads(read_text(spark, state_uri) or "{}")
    committed = _decode(state.get("committed"), source.kind)
    pending = state.get("pending")
    if pending:
        low, high = _decode(pending["from"], source.kind), _decode(pending["to"], source.kind)
        report.resumed = True
    else:
        low = committed
        bound = _reader(spark, source, credentials).option(
            "query", "SELECT max({}) AS high FROM {}".format(source.column, source.relation)).load().first()["high"]
        high = bound.replace(tzinfo=timezone.utc) if isinstance(bound, datetime) and bound.tzinfo is None else _encode(bound) if isinstance(bound, Decimal) else bound
        if high is None or (low is not None and high <= low):
            report.outcome = "no new rows"
            return report
        write_text(spark, state_uri, json.dumps({"committed": _encode(committed), "pending": {"from": _encode(low), "to": _encode(high)}}))
    report.range_from, report.range_to = _encode(low), _encode(high)

    conditions = ["{} <= {}".format(source.column, _literal(high, source.kind))]
    if low is not None:
        floor = low - (timedelta(seconds=source.lookback) if source.kind == "timestamp" else source.lookback)
        conditions.append("{} > {}".format(source.column, _literal(floor, source.kind)))
    rows = _reader(spark, source, credentials).option(
        "query", "SELECT * FROM {} WHERE {}".format(source.relation, " AND ".join(conditions))).load()
    folder = join(raw_location, "landing", source.dataset, "{}={}_{}".format(
        source.column, _folder_part(low, source.kind) if low is not None else "start", _folder_part(high, source.kind)))
    rows = rows.persist()
    report.rows = rows.count()
    report.folder = folder
    if report.rows > 0:
        # Files big enough for the transform's row groups, at most `partitions` of them.
        (rows.repartition(max(1, min(source.partitions, report.rows // 100000 + 1)))
         .write.mode("overwrite").option("compression", "gzip").option("ignoreNullFields", True)
         .option("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").json(folder))
    rows.unpersist()
    write_text(spark, state_uri, json.dumps({"committed": _encode(high), "pending": None}))
    report.outcome = "pulled {} rows".format(report.rows)
    return report


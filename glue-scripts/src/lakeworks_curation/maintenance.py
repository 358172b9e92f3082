"""Upkeep of the curated Iceberg tables with Iceberg's own Spark procedures: compaction, snapshot
expiry and orphan-file removal. Each procedure commits on its own; one table's failure does not stop
the others, and the job fails at the end if any did."""
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List

from lakeworks_curation.iceberg_table import CATALOG, qualified

# Files below this share of the target size (512 MB) are rewritten together.
MIN_INPUT_FILES = 5


@dataclass(frozen=True)
class MaintenanceRequest:
    tables: List[dict]
    snapshot_retention_days: int
    orphan_file_age_days: int


class MaintenanceFailed(RuntimeError):
    pass


def _call(spark, procedure, arguments):
    rows = spark.sql("CALL {}.system.{}({})".format(CATALOG, procedure, ", ".join(arguments))).collect()
    return [row.asDict() for row in rows]


def maintain_table(spark, database, table, request, now):
    name = "{}.{}".format(database, table)
    expire_before = (now - timedelta(days=request.snapshot_retention_days)).strftime("%Y-%m-%d %H:%M:%S")
    orphans_before = (now - timedelta(days=request.orphan_file_age_days)).strftime("%Y-%m-%d %H:%M:%S")
    compacted = _call(spark, "rewrite_data_files", ["table => '{}'".format(name), "options => map('min-input-files', '{}')".format(MIN_INPUT_FILES)])
    expired = _call(spark, "expire_snapshots", ["table => '{}'".format(name), "older_than => TIMESTAMP '{}'".format(expire_before), "retain_last => 2"])
    orphans = _call(spark, "remove_orphan_files", ["table => '{}'".format(name), "older_than => TIMESTAMP '{}'".format(orphans_before)])
    return {
        "table": name,
        "rewrittenFiles": sum(row.get("rewritten_data_files_count", 0) for row in compacted),
        "addedFiles": sum(row.get("added_data_files_count", 0) for row in compacted),
        "expiredDataFiles": sum(row.get("deleted_data_files_count", 0) for row in expired),
        "orphanFilesRemoved": len(orphans),
    }


def maintain_tables(spark, request, now=None):
    now = now or datetime.now(timezone.utc)
    results, failures = [], []
    for entry in request.tables:
        if not spark.catalog.tableExists(qualified(entry["database"], entry["table"])):
            results.append({"table": "{}.{}".format(entry["database"], entry["table"]), "skipped": "not created yet"})
            continue
        try:
            results.append(maintain_table(spark, entry["database"], entry["table"], request, now))
        except Exception as error:  # noqa: BLE001 (reported below, after the other tables)
            failures.append("{}.{}: {}".format(entry["database"], entry["table"], str(error).splitlines()[0]))
    if failures:
        raise MaintenanceFailed("maintenance failed for " + "; ".join(failures))
    return results

"""The weekly upkeep of curated tables on Spark + Iceberg: compaction joins small files, snapshot
expiry drops snapshots past retention (and the files only they held), orphan removal deletes files
no snapshot references; all through the Glue entry point's library and its arguments."""
import os
from datetime import datetime, timedelta, timezone

import pytest
from lakeworks_curation.maintenance import MaintenanceFailed, MaintenanceRequest, maintain_tables

from local.run_curation import entry_point


@pytest.fixture()
def small_files_table(spark, tmp_path):
    spark.sql("CREATE NAMESPACE IF NOT EXISTS glue_catalog.upkeep")
    name = "glue_catalog.upkeep.t_{}".format(os.getpid() + len(str(tmp_path)))
    spark.sql("DROP TABLE IF EXISTS {}".format(name))
    spark.sql("CREATE TABLE {} (id bigint, d date) USING iceberg PARTITIONED BY (months(d)) LOCATION '{}' "
              "TBLPROPERTIES ('format-version' = '2')".format(name, "file://" + str(tmp_path / "t")))
    for day in range(1, 9):
        spark.sql("INSERT INTO {} VALUES ({}, DATE '2024-01-0{}')".format(name, day, day if day < 10 else 9))
    return name, tmp_path / "t"


def count(spark, sql):
    return spark.sql(sql).collect()[0][0]


def test_compaction_expiry_and_orphan_removal(spark, small_files_table):
    name, location = small_files_table
    database, table = name.split(".")[1:]
    orphan = location / "data" / "left-behind-by-a-failed-job.parquet"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"PAR1")
    old = (datetime.now() - timedelta(days=10)).timestamp()
    os.utime(orphan, (old, old))
    assert count(spark, "SELECT count(*) FROM {}.files".format(name)) == 8
    assert count(spark, "SELECT count(*) FROM {}.snapshots".format(name)) == 8
    rows_before = sorted(spark.table(name).collect())

    # A week later. (Iceberg refuses orphan removal of files younger than 24 hours by the real
    # clock, so the orphan age here reaches back past today.)
    later = datetime.now(timezone.utc) + timedelta(days=8)
    results = maintain_tables(spark, MaintenanceRequest([{"database": database, "table": table}], snapshot_retention_days=7, orphan_file_age_days=9), now=later)

    assert results[0]["rewrittenFiles"] == 8 and results[0]["addedFiles"] == 1
    assert count(spark, "SELECT count(*) FROM {}.files".format(name)) == 1
    # Snapshots past retention are gone; the last two stay for the next run's changelog.
    assert count(spark, "SELECT count(*) FROM {}.snapshots".format(name)) == 2
    assert not orphan.exists() and results[0]["orphanFilesRemoved"] == 1
    assert sorted(spark.table(name).collect()) == rows_before


def test_recent_snapshots_and_files_are_kept(spark, small_files_table):
    name, location = small_files_table
    database, table = name.split(".")[1:]
    fresh = location / "data" / "being-committed-now.parquet"
    fresh.write_bytes(b"PAR1")
    maintain_tables(spark, MaintenanceRequest([{"database": database, "table": table}], 7, 3))
    assert fresh.exists(), "a file younger than the orphan age may belong to a commit in progress"
    assert count(spark, "SELECT count(*) FROM {}.snapshots".format(name)) == 9  # 8 writes + the compaction


def test_a_table_not_created_yet_is_skipped_and_a_failure_fails_the_job(spark, small_files_table):
    name, _ = small_files_table
    database, table = name.split(".")[1:]
    results = maintain_tables(spark, MaintenanceRequest([{"database": database, "table": "not_yet"}], 7, 3))
    assert results == [{"table": "{}.not_yet".format(database), "skipped": "not created yet"}]
    import shutil

    shutil.rmtree(small_files_table[1] / "data")
    with pytest.raises(MaintenanceFailed, match=table):
        maintain_tables(spark, MaintenanceRequest([{"database": database, "table": "not_yet"}, {"database": database, "table": table}], 7, 3))


def test_the_entry_point_reads_the_arguments_the_stack_passes(spark, small_files_table):
    name, _ = small_files_table
    database, table = name.split(".")[1:]
    maintain = entry_point("maintain_tables")
    results = maintain.main(["maintain_tables.py", "--JOB_NAME", "upkeep", "--tables", '[{"database": "%s", "table": "%s"}]' % (database, table),
                             "--snapshot_retention_days", "7", "--orphan_file_age_days", "3"])
    assert results[0]["table"] == "{}.{}".format(database, table)

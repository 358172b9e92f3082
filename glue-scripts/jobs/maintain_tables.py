"""Glue 5.1 entry point of the curated tables' upkeep, on a schedule (weekly by default):

- compaction: rewrite_data_files joins the small files daily MERGEs leave into larger ones;
- snapshot expiry: expire_snapshots drops snapshots older than the retention (time travel reaches
  back that far, and no further), with the data files only they referenced;
- orphan removal: remove_orphan_files deletes files no snapshot references that are older than a
  safety age (what a failed job left behind), never files a running job may still commit.

Arguments:
  --tables                   JSON list of {"database": ..., "table": ...}
  --snapshot_retention_days  keep snapshots this many days (at least the curation interval)
  --orphan_file_age_days     only remove unreferenced files older than this
"""
import json
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

from lakeworks_curation.maintenance import MaintenanceRequest, maintain_tables
from lakeworks_curation.settings import configure_session

ARGUMENTS = ["JOB_NAME", "tables", "snapshot_retention_days", "orphan_file_age_days"]


def main(argv=None):
    args = getResolvedOptions(sys.argv if argv is None else argv, ARGUMENTS)
    glue_context = GlueContext(SparkContext.getOrCreate())
    spark = glue_context.spark_session
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    configure_session(spark)
    results = maintain_tables(spark, MaintenanceRequest(
        tables=json.loads(args["tables"]),
        snapshot_retention_days=int(args["snapshot_retention_days"]),
        orphan_file_age_days=int(args["orphan_file_age_days"]),
    ))
    print(json.dumps(results, sort_keys=True))
    job.commit()
    return results


if __name__ == "__main__":
    main()

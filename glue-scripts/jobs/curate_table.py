"""Glue 5.1 entry point of one curated table (conformed or enriched), one job per table.

Reads what changed since the table's last successful run, runs the table's SQL on it, checks the
result against the declared schema and its data quality rules, and commits it to the Iceberg table
in one MERGE (or, with --mode backfill, replaces the table in one commit). See
docs/curated-layers.md and lakeworks_curation.job.

Arguments (the stack passes every one; test/stacks/curation-stack.test.ts checks it):
  --table_spec             the table's declaration as JSON (lib/curation/table-spec.ts)
  --sql_path               its SQL file
  --source_database        where its sources are: standardized (conformed) or conformed (enriched)
  --target_database        its own database
  --target_location        the table's location, s3://<layer bucket>/<table>/
  --standardized_location  s3://<standardized bucket>/, whose manifests say what changed (conformed only)
  --mode                   incremental (the schedule) or backfill (rebuild from all sources)
"""
import json
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

from lakeworks_curation.job import CurationRequest, run_curation
from lakeworks_curation.quality import GlueDataQuality
from lakeworks_curation.settings import configure_session

ARGUMENTS = ["JOB_NAME", "table_spec", "sql_path", "source_database", "target_database", "target_location", "mode"]
CONFORMED_ARGUMENTS = ["standardized_location"]


def main(argv=None):
    argv = sys.argv if argv is None else argv
    args = getResolvedOptions(argv, ARGUMENTS)
    spec = json.loads(args["table_spec"])
    if spec["layer"] == "conformed":
        args.update(getResolvedOptions(argv, CONFORMED_ARGUMENTS))
    spark_context = SparkContext.getOrCreate()
    glue_context = GlueContext(spark_context)
    spark = glue_context.spark_session
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    configure_session(spark)

    request = CurationRequest(
        spec=spec,
        sql="\n".join(spark_context.textFile(args["sql_path"], 1).collect()),
        source_database=args["source_database"],
        target_database=args["target_database"],
        target_location=args["target_location"],
        standardized_location=args.get("standardized_location"),
        mode=args["mode"],
    )
    result = run_curation(spark, request, GlueDataQuality(glue_context, args["JOB_NAME"]))
    print(json.dumps(result.summary(), sort_keys=True))
    job.commit()
    return result


if __name__ == "__main__":
    main()

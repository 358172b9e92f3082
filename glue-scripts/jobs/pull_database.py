"""Glue 5.1 entry point of a database source: one incremental pull of a table or query over JDBC
into raw `landing/<dataset>/` (lakeworks_ingest.database_pull). The job runs in the source's VPC
through its Glue network connection; credentials come from Secrets Manager at run time.

Arguments (the stack passes every one):
  --source_spec     the source's declaration as JSON (JDBC URL, table or query, watermark column)
  --secret_id       the Secrets Manager secret with the database user's username and password
  --raw_location    s3://<raw bucket>/
  --state_location  where the high-water mark is kept, s3://<raw bucket>/state/database/<dataset>.json
"""
import json
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

from lakeworks_curation.settings import configure_session
from lakeworks_ingest.database_pull import DatabaseSource, pull
from lakeworks_ingest.secrets import SecretsManagerCredentials

ARGUMENTS = ["JOB_NAME", "source_spec", "secret_id", "raw_location", "state_location"]


def main(argv=None, credentials=None):
    args = getResolvedOptions(sys.argv if argv is None else argv, ARGUMENTS)
    spark_context = SparkContext.getOrCreate()
    glue_context = GlueContext(spark_context)
    spark = glue_context.spark_session
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    configure_session(spark)
    # No _SUCCESS marker: nothing reads it. The committer's _temporary/ attempt files still pass
    # through landing/ on their way to their final names; the transform skips names beginning with
    # _ or . (docs/database-sources.md), so only the final files become rows.
    spark_context._jsc.hadoopConfiguration().set("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
    reader = credentials or SecretsManagerCredentials()
    report = pull(spark, DatabaseSource.parse(args["source_spec"]), reader(args["secret_id"]), args["raw_location"], args["state_location"])
    print(json.dumps(report.summary(), sort_keys=True))
    job.commit()
    return report


if __name__ == "__main__":
    main()

"""Glue 5 entry point of a curated table: runs one SQL file and writes its result.

The SQL is the same file local mode runs on DuckDB (glue-scripts/sql/<lob>/<layer>/<table>.sql).
Each source table is registered as a temporary view under its own name, the result overwrites the
target table's data (so a retried run never duplicates), and the Glue Data Catalog table is
created or updated through Spark's catalog integration (--enable-glue-datacatalog).
"""
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

# The job definition passes exactly these (test/curated/glue-job-arguments.test.ts checks it).
ARGUMENTS = [
    "JOB_NAME",
    "sql_path",
    "source_database",
    "source_tables",
    "target_database",
    "target_table",
    "target_path",
]


def main():
    args = getResolvedOptions(sys.argv, ARGUMENTS)
    spark_context = SparkContext.getOrCreate()
    glue_context = GlueContext(spark_context)
    spark = glue_context.spark_session
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)

    # Same session time zone as the tests and local mode, so dates cut from timestamps agree.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    for table in filter(None, args["source_tables"].split(",")):
        spark.table("`{}`.`{}`".format(args["source_database"], table)).createOrReplaceTempView(table)

    sql = "\n".join(spark_context.textFile(args["sql_path"]).collect())
    result = spark.sql(sql)
    (
        result.write.mode("overwrite")
        .format("parquet")
        .option("compression", "snappy")
        .option("path", args["target_path"])
        .saveAsTable("`{}`.`{}`".format(args["target_database"], args["target_table"]))
    )
    job.commit()


if __name__ == "__main__":
    main()

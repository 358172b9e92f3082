"""Glue 5 entry point of a data quality gate: evaluates a dataset's DQDL ruleset on its
standardized table and fails the job (so the orchestration stops and alerts) if any rule fails.

The ruleset is generated from the dataset's config at synth (lib/curation/dq-ruleset.ts) and is
also stored as a Glue Data Quality ruleset on the table, where the console shows its history.
"""
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from awsgluedq.transforms import EvaluateDataQuality
from pyspark.context import SparkContext

# The job definition passes exactly these (test/curated/glue-job-arguments.test.ts checks it).
ARGUMENTS = [
    "JOB_NAME",
    "database",
    "table",
    "ruleset",
]


def main():
    args = getResolvedOptions(sys.argv, ARGUMENTS)
    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)

    frame = glue_context.create_dynamic_frame.from_catalog(
        database=args["database"], table_name=args["table"], transformation_ctx="source"
    )
    outcomes = EvaluateDataQuality.apply(
        frame=frame,
        ruleset=args["ruleset"],
        publishing_options={
            "dataQualityEvaluationContext": args["table"],
            "enableDataQualityCloudWatchMetrics": True,
            "enableDataQualityResultsPublishing": True,
        },
    ).toDF()
    failed = outcomes.filter(outcomes["Outcome"] != "Passed").collect()
    if failed:
        reasons = "; ".join("{}: {}".format(row["Rule"], row["FailureReason"]) for row in failed)
        raise RuntimeError("data quality failed for {}.{}: {}".format(args["database"], args["table"], reasons))
    job.commit()


if __name__ == "__main__":
    main()

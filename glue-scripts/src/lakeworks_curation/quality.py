"""Data quality gates, evaluated by Glue Data Quality on the rows a run reads and on the rows it is
about to write, before anything is written: a failed rule fails the job and leaves the table as it
was. The rulesets are generated from config (lib/curation/dq-ruleset.ts)."""
from awsglue.dynamicframe import DynamicFrame
from awsgluedq.transforms import EvaluateDataQuality


class DataQualityFailure(RuntimeError):
    pass


class GlueDataQuality:
    def __init__(self, glue_context, job_name):
        self.glue_context = glue_context
        self.job_name = job_name

    def check(self, rows, ruleset, context):
        """Raises DataQualityFailure naming every failed rule; does nothing without rules."""
        if not ruleset.strip():
            return
        outcomes = EvaluateDataQuality.apply(
            frame=DynamicFrame.fromDF(rows, self.glue_context, context),
            ruleset=ruleset,
            publishing_options={
                "dataQualityEvaluationContext": context,
                "enableDataQualityCloudWatchMetrics": True,
                "enableDataQualityResultsPublishing": True,
            },
        ).toDF()
        failed = outcomes.filter(outcomes["Outcome"] != "Passed").collect()
        if failed:
            raise DataQualityFailure("data quality failed for {} ({}): {}".format(
                context, self.job_name, "; ".join("{}: {}".format(row["Rule"], row["FailureReason"]) for row in failed)))

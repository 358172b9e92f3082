"""EvaluateDataQuality.apply: rule outcomes (Rule, Outcome, FailureReason) as a DynamicFrame."""
from awsglue.dynamicframe import DynamicFrame

from awsgluedq.dqdl import evaluate_ruleset


class EvaluateDataQuality:
    published = []

    @staticmethod
    def apply(frame, ruleset, publishing_options=None):
        data_frame = frame.toDF()
        outcomes = evaluate_ruleset(data_frame, ruleset)
        EvaluateDataQuality.published.append({"options": dict(publishing_options or {}), "outcomes": outcomes})
        spark = data_frame.sparkSession
        rows = [(outcome.rule, "Passed" if outcome.passed else "Failed", outcome.reason) for outcome in outcomes]
        result = spark.createDataFrame(rows, "Rule string, Outcome string, FailureReason string")
        return DynamicFrame.fromDF(result, frame.glue_ctx, "ruleOutcomes")

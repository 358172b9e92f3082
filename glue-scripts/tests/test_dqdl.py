"""The DQDL stand-in (stand_ins/awsgluedq/dqdl.py) pinned to AWS's DQDL reference: the examples it
gives, with the outcomes it documents, NULL behaviour included. The rulesets Lakeworks generates
use only these rule types, so each generated rule is read and evaluated here too."""
import json
import re
import subprocess

import pytest
from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsgluedq.dqdl import UnsupportedRule, evaluate_rule, split_rules
from awsgluedq.transforms import EvaluateDataQuality

REPOSITORY = __import__("local.spark_session", fromlist=["REPOSITORY"]).REPOSITORY


@pytest.fixture(scope="module")
def people(spark):
    rows = [(1, 30, "US", "F", 60.0), (2, None, "CA", "M", 8.0), (3, 21, None, "X", 70.0), (4, 45, "UK", "F", 9.5)]
    return spark.createDataFrame(rows, "id int, age int, country string, gender string, weightinkgs double")


def outcome(frame, rule):
    return evaluate_rule(frame, rule).passed


# "For all ColumnValues rules (other than != and NOT IN), NULL rows will fail the rule."
@pytest.mark.parametrize("rule", ['ColumnValues "age" > 0', 'ColumnValues "age" >= 21', 'ColumnValues "age" <= 100',
                                  'ColumnValues "age" in [30, 21, 45]', 'ColumnValues "age" = 30'])
def test_null_rows_fail_column_values_rules(people, rule):
    assert not outcome(people, rule)
    assert outcome(people.filter("age IS NOT NULL"), rule.replace("= 30", ">= 21"))


# "Negated ColumnValues rules with != and not in syntax will pass for NULL rows."
def test_null_rows_pass_negated_rules(people):
    assert outcome(people, 'ColumnValues "age" != 22')
    assert outcome(people, 'ColumnValues "age" not in [22, 23, 24]')


# "ColumnValues "Age" not in [21, 22, 23, NULL]" explicitly fails NULL values.
def test_listing_null_in_not_in_fails_null_rows(people):
    assert not outcome(people, 'ColumnValues "age" not in [22, 23, NULL]')
    assert outcome(people.filter("age IS NOT NULL"), 'ColumnValues "age" not in [22, 23, NULL]')


# ColumnValues "Country" in [ "US", "CA", "UK", NULL, ... ] allows NULL (the keyword in the list).
def test_listing_null_allows_null_rows(people):
    assert outcome(people, 'ColumnValues "country" in ["US", "CA", "UK", NULL]')
    assert not outcome(people, 'ColumnValues "country" in ["US", "CA", "UK"]')


# ColumnValues "gender" in ["F", "M"] where "weightinkgs < 10": the rule sees only the rows kept.
def test_where_clause_limits_the_rows_a_rule_sees(people):
    assert outcome(people, 'ColumnValues "gender" in ["F", "M"] where "weightinkgs < 10"')
    assert not outcome(people, 'ColumnValues "gender" in ["F", "M"]')
    # The generated NULL-aware range rules skip NULL rows with a where clause.
    assert outcome(people, 'ColumnValues "age" >= 21 where "age IS NOT NULL"')


# IsComplete "email": every value non-null.
def test_is_complete(people):
    assert outcome(people, 'IsComplete "id"')
    assert not outcome(people, 'IsComplete "age"')
    assert outcome(people, 'IsComplete "age" where "id <> 2"')


# IsPrimaryKey "colA" "colB": unique together, and complete.
def test_is_primary_key(spark):
    frame = spark.createDataFrame([("a", 1), ("a", 2), ("b", 1)], "k string, n int")
    assert evaluate_rule(frame, 'IsPrimaryKey "k" "n"').passed
    assert not evaluate_rule(frame, 'IsPrimaryKey "k"').passed
    with_null = spark.createDataFrame([("a", 1), (None, 2)], "k string, n int")
    assert not evaluate_rule(with_null, 'IsPrimaryKey "k"').passed


def test_dates_compare_as_dates(spark):
    frame = spark.createDataFrame([("2024-01-02",)], "d string").selectExpr("CAST(d AS DATE) AS d")
    assert evaluate_rule(frame, 'ColumnValues "d" >= "1990-01-01"').passed
    assert not evaluate_rule(frame, 'ColumnValues "d" >= "2024-01-03"').passed


def test_an_empty_frame_passes(spark):
    frame = spark.createDataFrame([], "k string")
    assert evaluate_rule(frame, 'IsPrimaryKey "k"').passed


def test_rules_it_does_not_know_are_refused(people):
    for rule in ['RowCount > 0', '(ColumnValues "age" > 21) OR (ColumnValues "age" = NULL)', 'ColumnValues "country" in ["US", EMPTY]']:
        with pytest.raises(UnsupportedRule):
            evaluate_rule(people, rule)


def test_evaluate_data_quality_reports_outcomes_like_glue(spark, people):
    frame = DynamicFrame.fromDF(people, GlueContext(spark.sparkContext), "people")
    outcomes = EvaluateDataQuality.apply(frame=frame, ruleset='Rules = [\n  IsComplete "id",\n  IsComplete "age"\n]').toDF().collect()
    assert [(row["Rule"], row["Outcome"]) for row in outcomes] == [('IsComplete "id"', "Passed"), ('IsComplete "age"', "Failed")]


def test_every_generated_rule_is_one_the_stand_in_reads(spark):
    specs = json.loads(subprocess.check_output(
        ["npx", "tsx", "-e", "const {tableSpecs}=require('./lib/curation/table-spec');const {loadLakeConfig}=require('./lib/config/load-config');"
         "console.log(JSON.stringify(loadLakeConfig('config').lobs.flatMap((l)=>tableSpecs(l).map((t)=>t.spec))))"], cwd=REPOSITORY))
    rulesets = [spec[key] for spec in specs for key in ("tableRuleset", "sourceRuleset") if spec.get(key)]
    assert rulesets
    for ruleset in rulesets:
        for rule in split_rules(ruleset):
            names = sorted({token for token in re.findall(r'"([a-z][a-z0-9_]*)"', rule)})
            frame = spark.createDataFrame([], ", ".join("`{}` string".format(name) for name in names))
            assert evaluate_rule(frame, rule).passed

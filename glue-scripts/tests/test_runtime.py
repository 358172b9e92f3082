"""The engines the tests run are the engines of the Glue version the stack declares."""
import json
import os

from local.spark_session import RUNTIME_FILE, glue_runtime


def test_spark_is_the_glue_versions(spark):
    assert spark.version == glue_runtime()["spark"]


def test_iceberg_is_the_glue_versions(spark):
    jar = spark.sparkContext._jvm.org.apache.iceberg.IcebergBuild
    assert jar.version() == glue_runtime()["iceberg"]


def test_python_is_the_glue_versions():
    import sys

    assert "%d.%d" % sys.version_info[:2] == glue_runtime()["python"]


def test_java_is_the_glue_versions(spark):
    version = spark.sparkContext._jvm.java.lang.System.getProperty("java.specification.version")
    assert version == glue_runtime()["java"]


def test_the_stack_reads_the_same_file():
    stack = open(os.path.join(os.path.dirname(RUNTIME_FILE), "..", "lib", "stacks", "curation-stack.ts"), encoding="utf-8").read()
    assert "glue-runtime.json" in stack, "the curation stack must take its Glue version from glue-scripts/glue-runtime.json"
    assert json.load(open(RUNTIME_FILE, encoding="utf-8"))["glueVersion"] == "5.1"

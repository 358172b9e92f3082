"""Spark reads the standardized layer exactly as deployed. The tables are declared in the local
catalog from the synthesized CatalogStack template (columns, types, partition keys, location) and,
as in AWS, no partition is registered: Athena finds partitions by projection, which Spark ignores.
Reading through the catalog therefore sees nothing (the difference shows here), and the jobs read
the files the transform's manifests name: every row the transform wrote."""
import json
import os

import pytest
from conftest import stack_template
from lakeworks_curation.standardized import standardized_table

from lake import LocalLake, at
from local.catalog import declare_standardized_table

SAMPLES = os.path.join(os.path.dirname(__file__), "..", "..", "samples")


def sample_deliveries(lob):
    deliveries = []
    for dataset in sorted(os.listdir(os.path.join(SAMPLES, lob))):
        for name in sorted(os.listdir(os.path.join(SAMPLES, lob, dataset))):
            deliveries.append({"dataset": dataset, "key": "landing/{}/{}".format(dataset, name), "file": os.path.abspath(os.path.join(SAMPLES, lob, dataset, name))})
    return deliveries


@pytest.mark.parametrize("lob", ["finance", "marketing"])
def test_every_row_the_transform_wrote_is_read_through_the_deployed_table(spark, cloud_assembly, tmp_path, lob):
    lake = LocalLake(spark, lob, tmp_path, "deployed")
    template = stack_template(cloud_assembly, "dev/{}-catalog".format(lob))
    tables = [resource["Properties"] for resource in template["Resources"].values() if resource["Type"] == "AWS::Glue::Table"]
    assert {table["TableInput"]["Name"] for table in tables} == {entry["tableInput"]["Name"] for entry in lake.plan["standardizedTables"]}
    database = lake.plan["databases"]["standardized"]
    for table in tables:
        declare_standardized_table(spark, database, table["TableInput"], lake.plan["buckets"])
        declared = standardized_table(spark, database, table["TableInput"]["Name"])
        assert declared.partition_columns == [key["Name"] for key in table["TableInput"].get("PartitionKeys", [])]

    results = lake.deliver([d for d in sample_deliveries(lob)], at(2))
    written = {}
    for result in results:
        if result.get("manifest"):
            dataset = result["manifest"].split("/")[1]
            written[dataset] = written.get(dataset, 0) + result["written"]
    assert sum(written.values()) > 0

    for table in tables:
        name = table["TableInput"]["Name"]
        # The deployed catalog has no partitions, so Spark's catalog read finds no row ...
        if table["TableInput"].get("PartitionKeys"):
            assert spark.table("spark_catalog.`{}`.`{}`".format(database, name)).count() == 0
    # ... while the jobs, reading the manifests' files with the catalog's schema, read every row.
    reports = lake.curate(at(3, 4), tables=[job["table"] for job in lake.plan["jobs"] if job["layer"] == "conformed"])
    for job in lake.plan["jobs"]:
        if job["layer"] != "conformed":
            continue
        source = json.loads(job["arguments"]["--table_spec"])["source"]
        assert reports[job["table"]].read[source] == written.get(source, 0), job["table"]

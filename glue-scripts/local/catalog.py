"""Declares standardized tables in the local session's catalog from Glue TableInputs, as
CloudFormation declares them in the Glue Data Catalog (CatalogStack): same columns, types,
partition keys and location, and no partitions registered, as in the deployed lake."""


def _location(location, buckets):
    for bucket, local in buckets.items():
        prefix = "s3://{}/".format(bucket)
        if location.startswith(prefix):
            return "file://" + local.rstrip("/") + "/" + location[len(prefix):]
    raise ValueError("no local folder for {}".format(location))


def declare_standardized_table(spark, database, table_input, buckets):
    """`table_input`: the TableInput of an AWS::Glue::Table (PascalCase, as in the template);
    `buckets`: bucket name -> local folder standing in for it."""
    descriptor = table_input["StorageDescriptor"]
    columns = descriptor["Columns"] + table_input.get("PartitionKeys", [])
    partitions = [column["Name"] for column in table_input.get("PartitionKeys", [])]
    spark.sql("CREATE DATABASE IF NOT EXISTS `{}`".format(database))
    spark.sql("DROP TABLE IF EXISTS spark_catalog.`{}`.`{}`".format(database, table_input["Name"]))
    spark.sql("CREATE TABLE spark_catalog.`{db}`.`{name}` ({columns}) USING parquet {partitioned} LOCATION '{location}'".format(
        db=database,
        name=table_input["Name"],
        columns=", ".join("`{}` {}".format(column["Name"], column["Type"]) for column in columns),
        partitioned="PARTITIONED BY ({})".format(", ".join("`{}`".format(p) for p in partitions)) if partitions else "",
        location=_location(descriptor["Location"], buckets),
    ))

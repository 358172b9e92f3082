"""Reading a standardized dataset exactly as deployed: the table's columns, types and location from
the catalog (declared by CloudFormation), its files by path.

The standardized tables rely on Athena partition projection and nothing registers partitions in
the catalog, so Spark reading them through the catalog (spark.table, from_catalog) would see no
partition and no row. The jobs therefore read the files the manifests name, or, in a backfill,
every file under the table's location, with the catalog's schema; partition values come from the
Hive-style paths the transform writes (<column>=<value>/).
"""
from dataclasses import dataclass
from typing import Dict, List

from pyspark.sql import functions as F
from pyspark.sql import types as T

from lakeworks_curation.manifests import DATA_FILE
from lakeworks_curation.spec import INGESTED_AT
from lakeworks_curation.storage import list_directory

SOURCE_ID = "_source_id"


@dataclass(frozen=True)
class StandardizedTable:
    database: str
    name: str
    location: str
    schema: T.StructType
    partition_columns: List[str]


def standardized_table(spark, database, name):
    qualified = "spark_catalog.`{}`.`{}`".format(database, name)
    details = {row["col_name"]: row["data_type"] for row in spark.sql("DESCRIBE TABLE EXTENDED " + qualified).collect()}
    columns = spark.catalog.listColumns("spark_catalog.`{}`.`{}`".format(database, name))
    schema = T.StructType([T.StructField(c.name, T._parse_datatype_string(c.dataType), True) for c in columns])
    return StandardizedTable(database, name, details["Location"], schema, [c.name for c in columns if c.isPartition])


def _with_ingested_at(rows, ingested_at: Dict[str, object], fallback_to_file_time):
    """Adds `ingested_at`: the arrival time of the raw object each row's file came from."""
    spark = rows.sparkSession
    rows = rows.withColumn(SOURCE_ID, F.regexp_extract(F.col("_metadata.file_name"), DATA_FILE.pattern, 1)) \
        .withColumn("_written", F.col("_metadata.file_modification_time") if fallback_to_file_time else F.lit(None).cast("timestamp"))
    if ingested_at:
        arrivals = spark.createDataFrame(list(ingested_at.items()), "{} string, _arrived timestamp".format(SOURCE_ID))
        rows = rows.join(F.broadcast(arrivals), SOURCE_ID, "left")
    else:
        rows = rows.withColumn("_arrived", F.lit(None).cast("timestamp"))
    return rows.withColumn(INGESTED_AT, F.coalesce(F.col("_arrived"), F.col("_written"))).drop("_arrived", "_written")


def read_files(spark, table: StandardizedTable, files: List[str], ingested_at: Dict[str, object]):
    """Rows of the given data files (a run's new files), each with its object's arrival time."""
    if not files:
        return empty(spark, table)
    rows = spark.read.schema(table.schema).option("basePath", table.location).parquet(*sorted(set(files)))
    return _with_ingested_at(rows, ingested_at, fallback_to_file_time=False).select(*table.schema.names, INGESTED_AT, SOURCE_ID)


def read_all(spark, table: StandardizedTable, ingested_at: Dict[str, object]):
    """Every row of the dataset (a backfill). Files older than manifests take their own write time."""
    if not list_directory(spark, table.location):
        return empty(spark, table)
    rows = spark.read.schema(table.schema).option("basePath", table.location).parquet(table.location)
    return _with_ingested_at(rows, ingested_at, fallback_to_file_time=True).select(*table.schema.names, INGESTED_AT, SOURCE_ID)


def empty(spark, table: StandardizedTable):
    schema = T.StructType(list(table.schema.fields) + [T.StructField(INGESTED_AT, T.TimestampType()), T.StructField(SOURCE_ID, T.StringType())])
    return spark.createDataFrame([], schema)

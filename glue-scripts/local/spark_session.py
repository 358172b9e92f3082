"""A local Spark session set up as a Glue 5.1 job's is, but for the catalogs:

- `spark_catalog` (Spark's own, in memory) holds the standardized Parquet tables, declared from the
  synthesized CatalogStack template as CloudFormation declares them in the Glue Data Catalog;
- `glue_catalog` is an Iceberg catalog. In Glue it is Iceberg's GlueCatalog (the job's --conf);
  here it is Iceberg's JdbcCatalog on a SQLite file, which, like Glue, commits a table by swapping
  its metadata pointer atomically and keeps tables where their LOCATION says.

Jars come from .cache/spark-jars (scripts/setup-spark.sh); a missing one fails with what to run.
"""
import glob
import json
import os

from pyspark.sql import SparkSession

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JARS = os.path.join(REPOSITORY, ".cache", "spark-jars")
RUNTIME_FILE = os.path.join(REPOSITORY, "glue-scripts", "glue-runtime.json")

ICEBERG_CATALOG = "glue_catalog"


def glue_runtime():
    """{"glueVersion", "spark", "scala", "iceberg", "python", "java"} as the stack declares them."""
    with open(RUNTIME_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def required_jars():
    runtime = glue_runtime()
    spark_minor = runtime["spark"].rsplit(".", 1)[0]
    iceberg = os.path.join(JARS, "iceberg-spark-runtime-{}_{}-{}.jar".format(spark_minor, runtime["scala"], runtime["iceberg"]))
    sqlite = glob.glob(os.path.join(JARS, "sqlite-jdbc-*.jar"))
    postgresql = glob.glob(os.path.join(JARS, "postgresql-*.jar"))
    missing = [name for name, present in [(iceberg, os.path.exists(iceberg)), ("sqlite-jdbc", bool(sqlite)), ("postgresql", bool(postgresql))] if not present]
    if missing:
        raise RuntimeError("missing {} in {}: run `npm run setup` (scripts/setup-spark.sh)".format(", ".join(missing), JARS))
    return [iceberg, sqlite[0], postgresql[0]]


def local_session(workspace, app_name="lakeworks-local"):
    """A Spark session whose Iceberg catalog and warehouse live under `workspace` (kept between runs)."""
    os.makedirs(workspace, exist_ok=True)
    catalog = "spark.sql.catalog.{}".format(ICEBERG_CATALOG)
    builder = (
        SparkSession.builder.master("local[2]")
        .appName(app_name)
        .config("spark.jars", ",".join(required_jars()))
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config(catalog, "org.apache.iceberg.spark.SparkCatalog")
        .config(catalog + ".type", "jdbc")
        .config(catalog + ".uri", "jdbc:sqlite:" + os.path.join(workspace, "iceberg-catalog.db"))
        .config(catalog + ".jdbc.schema-version", "V1")
        .config(catalog + ".warehouse", "file://" + os.path.join(workspace, "warehouse"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.warehouse.dir", os.path.join(workspace, "spark-warehouse"))
    )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark

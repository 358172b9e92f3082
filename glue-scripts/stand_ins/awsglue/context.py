"""GlueContext: what the jobs use of it is the Spark session of the running context."""
from pyspark.sql import SparkSession


class GlueContext:
    def __init__(self, spark_context):
        self.spark_context = spark_context
        self.spark_session = SparkSession.builder.getOrCreate()

"""Spark settings every curation session runs with, in Glue and locally alike."""

SESSION_SETTINGS = {
    # Dates cut from timestamps (CAST(created_at AS DATE)) are UTC days in every engine and run.
    "spark.sql.session.timeZone": "UTC",
    # The transform writes Parquet in the proleptic Gregorian calendar without Spark's own file
    # metadata; Spark 3.5 refuses dates before 1582-10-15 and timestamps before 1900 in such files
    # unless told the values are already correct (datetimeRebaseModeInRead defaults to EXCEPTION).
    "spark.sql.parquet.datetimeRebaseModeInRead": "CORRECTED",
    "spark.sql.parquet.int96RebaseModeInRead": "CORRECTED",
    "spark.sql.parquet.datetimeRebaseModeInWrite": "CORRECTED",
    "spark.sql.parquet.int96RebaseModeInWrite": "CORRECTED",
    # Never scan every footer to infer column case, nor try to alter the CloudFormation-managed
    # standardized tables with what it finds: their columns are declared lowercase.
    "spark.sql.hive.caseSensitiveInferenceMode": "NEVER_INFER",
}


def configure_session(spark):
    for key, value in SESSION_SETTINGS.items():
        spark.conf.set(key, value)
    return spark

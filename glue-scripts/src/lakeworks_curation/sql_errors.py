"""A curated SQL file that Spark cannot run fails with the file's name and Spark's own message."""
from pyspark.errors import AnalysisException, ParseException


class CuratedSqlError(ValueError):
    pass


def run_sql(spark, request, spec):
    name = request.sql_name or spec.raw.get("sqlFile") or "{}.{}".format(spec.layer, spec.table)
    try:
        return spark.sql(request.sql)
    except (AnalysisException, ParseException) as error:
        raise CuratedSqlError("{}: Spark cannot run this SQL: {}".format(name, str(error).strip())) from error

"""A conformed table: the standardized rows delivered since its last run, through its SQL, one row
per primary key (the winning copy under the table's precedence), merged into the Iceberg table.

- Incremental (the schedule): the manifests written since the last run name the new files; only
  they are read. A key's new copy replaces the table's row only if it wins, so a re-delivered or
  corrected day replaces that day's rows and a replayed old file changes nothing.
- Backfill (--mode backfill, the first run, or a changed declaration or SQL): every standardized
  file is read and the table's rows are replaced in one commit.
- A run that finds no new data changes no rows and succeeds.
"""
from pyspark.sql import functions as F
from pyspark.sql.window import Window

from lakeworks_curation import iceberg_table
from lakeworks_curation.manifests import manifests_since
from lakeworks_curation.merge import merge_winners
from lakeworks_curation.ordering import order_by_sql, total_order
from lakeworks_curation.result_schema import check_result_schema
from lakeworks_curation.sql_errors import run_sql
from lakeworks_curation.standardized import read_all, read_files, standardized_table
from lakeworks_curation.timestamps import format_time, parse_time


def keep_winners(rows, spec):
    """One row per primary key: the first under the table's total order."""
    terms = total_order(spec)
    window = Window.partitionBy(*[F.col("`{}`".format(k)) for k in spec.primary_key]).orderBy(*[
        (F.col("`{}`".format(t.column)).desc_nulls_first() if t.nulls_first else F.col("`{}`".format(t.column)).desc_nulls_last())
        if t.descending else
        (F.col("`{}`".format(t.column)).asc_nulls_first() if t.nulls_first else F.col("`{}`".format(t.column)).asc_nulls_last())
        for t in terms
    ])
    return rows.withColumn("_rank", F.row_number().over(window)).filter("_rank = 1").drop("_rank")


def curate_conformed(spark, request, spec, quality, now, run):
    target = iceberg_table.qualified(request.target_database, spec.table)
    source = standardized_table(spark, request.source_database, spec.source)
    exists = iceberg_table.exists(spark, target)
    state = iceberg_table.properties(spark, target) if exists else {}
    definition = iceberg_table.definition_of(spec, request.sql)
    run.reason = _backfill_reason(request, exists, state, definition)
    since = None if run.reason else parse_time(state[iceberg_table.STANDARDIZED_WATERMARK])

    manifests = manifests_since(spark, request.standardized_location, spec.source, since, now)
    arrivals = {}
    for manifest in manifests:
        arrivals[manifest.source_id] = max(arrivals.get(manifest.source_id, manifest.ingested_at), manifest.ingested_at)
    if run.reason:
        rows = read_all(spark, source, arrivals)
    else:
        rows = read_files(spark, source, [uri for manifest in manifests for uri in manifest.files], arrivals)
    rows = rows.persist()
    run.read[spec.source] = rows.count()
    run.manifests = len(manifests)
    if run.read[spec.source] == 0 and not run.reason:
        run.outcome = "no new data"
        iceberg_table.set_properties(spark, target, {iceberg_table.STANDARDIZED_WATERMARK: format_time(now)})
        rows.unpersist()
        return run

    quality.check(rows, spec.source_ruleset, "{}.{}".format(source.database, source.name))
    rows.drop("_source_id").createOrReplaceTempView(spec.source)
    result = run_sql(spark, request, spec)
    check_result_schema(result, spec, request.sql_name or spec.raw.get("sqlFile"))
    staged = keep_winners(result, spec).persist()
    run.staged = staged.count()
    quality.check(staged, spec.table_ruleset, "{}.{}".format(request.target_database, spec.table))
    staged_view = "lakeworks_staged_{}".format(spec.table)
    staged.createOrReplaceTempView(staged_view)

    if not exists:
        iceberg_table.create_as(spark, target, spec, request.target_location, staged_view, spec.raw.get("description"))
        run.written = run.staged
        run.outcome = "created with {} rows".format(run.staged)
    elif run.reason:
        run.changes = iceberg_table.evolve(spark, target, spec)
        staged.select(*["`{}`".format(name) for name in spec.column_names]).writeTo(target).overwrite(F.lit(True))
        run.written = run.staged
        run.outcome = "replaced with {} rows".format(run.staged)
    else:
        run.written = merge_winners(spark, target, staged, spec, total_order(spec))
        run.outcome = "{} of {} keys read inserted or replaced".format(run.written, run.staged)
    iceberg_table.set_properties(spark, target, {
        iceberg_table.DEFINITION: definition,
        iceberg_table.STANDARDIZED_WATERMARK: format_time(now),
    })
    staged.unpersist()
    rows.unpersist()
    return run


def _backfill_reason(request, exists, state, definition):
    """Why this run reads everything, or None for an incremental run."""
    if request.mode == "backfill":
        return "backfill requested"
    if not exists:
        return "first run: the table does not exist yet"
    if state.get(iceberg_table.DEFINITION) != definition:
        return "the table's declaration or SQL changed"
    if iceberg_table.STANDARDIZED_WATERMARK not in state:
        return "no record of what was read before"
    return None


__all__ = ["curate_conformed", "keep_winners", "order_by_sql"]

"""An enriched table: its SQL over conformed tables, recomputed only where the conformed tables
changed since its last run.

What changed is read from Iceberg itself: each source's changelog between the snapshot the table
last consumed and the source's current snapshot (inserted, deleted and both images of updated
rows). The table's `recompute` declaration turns changed source rows into the slices of this
table they affect (for example a ticker's prices -> that ticker's metrics); the SQL then runs on
the sources restricted to those slices, and the table's rows in them are replaced: recomputed rows
upserted, rows the SQL no longer produces deleted, in one MERGE.

A slice with a window (`window: {orderBy: date, rows: 19}`, for a 20-row moving average) is
recomputed from its first changed row to the 19th row after its last changed row (the rows whose
windows include a change), reading 19 rows of history before it. History is looked for within a
span of dates first, so a daily run reads a few weeks of its sources however old the lake is; a
slice with too little history in that span (a new ticker) is looked up over all of its rows.

A backfill (requested, the first run, a changed declaration or SQL, or snapshots expired before the
table read them) recomputes everything and replaces the table's rows in one commit.
"""
from py4j.protocol import Py4JJavaError
from pyspark.errors import AnalysisException, IllegalArgumentException
from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.window import Window

from lakeworks_curation import iceberg_table
from lakeworks_curation.merge import OPERATION, replace_rows
from lakeworks_curation.result_schema import check_result_schema
from lakeworks_curation.sql_errors import run_sql

# History a window needs is first looked for within this many times its rows, in days (dates,
# timestamps) or units (integers): 19 rows of trading days fit in 38 calendar days save for long
# market closures, which the fallback covers.
SPAN_PER_ROW = 2
START, END, FIRST_CHANGE = "_start", "_end", "_first_change"


class SnapshotsExpired(RuntimeError):
    pass


def _source_rows(spark, name, snapshot, schema_of_empty):
    if snapshot is None:
        return spark.createDataFrame([], schema_of_empty)
    return spark.sql("SELECT * FROM {} VERSION AS OF {}".format(name, snapshot))


def _changelog(spark, database, table, start, end):
    """Rows inserted, deleted or updated (both images) in `table` after snapshot `start` up to `end`."""
    view = "lakeworks_changes_{}".format(table)
    try:
        spark.sql(
            "CALL {catalog}.system.create_changelog_view(table => '{database}.{table}', "
            "options => map('start-snapshot-id', '{start}', 'end-snapshot-id', '{end}'), changelog_view => '{view}')".format(
                catalog=iceberg_table.CATALOG, database=database, table=table, start=start, end=end, view=view))
        return spark.table(view).drop("_change_type", "_change_ordinal", "_commit_snapshot_id")
    except (Py4JJavaError, AnalysisException, IllegalArgumentException) as error:
        raise SnapshotsExpired("{}.{}: cannot read its changes since snapshot {} ({})".format(database, table, start, str(error).splitlines()[0])) from error


def _shifter(order_type):
    """Moves a value of the window's order column by n units: days for dates and timestamps."""
    if isinstance(order_type, T.DateType):
        return lambda value, n: F.date_add(value, n)
    if isinstance(order_type, T.TimestampType):
        return lambda value, n: value + F.make_dt_interval(F.lit(n))
    return lambda value, n: value + F.lit(n)


def _bounds(source_rows, affected, slice_columns, order, rows, direction, shift, limit):
    """Per affected slice, where its recomputation must reach: the `rows`-th order value before its
    first change (direction -1) or after its last (+1); the farthest row there is when the slice
    has fewer; the change itself when it has none. Looks within a span of the change first, then,
    for slices that span leaves unsettled, over the slice's whole history."""
    span = SPAN_PER_ROW * rows
    edge = "_d0" if direction < 0 else "_d1"
    keyed = affected.select(*slice_columns, F.col(edge))

    def nth(candidates):
        ordering = F.col(order).desc() if direction < 0 else F.col(order).asc()
        ranked = candidates.withColumn("_n", F.row_number().over(Window.partitionBy(*slice_columns).orderBy(ordering)))
        farthest = F.min(order) if direction < 0 else F.max(order)
        found = ranked.filter(F.col("_n") <= rows).groupBy(*slice_columns).agg(F.max("_n").alias("_found"), farthest.alias("_bound"))
        return keyed.join(found, slice_columns, "left")

    lo, hi = affected.agg(F.min("_d0"), F.max("_d1")).first()
    if direction < 0:
        pruning = (F.col(order) >= shift(F.lit(lo), -span)) & (F.col(order) < F.lit(hi))
        near_edge = (F.col(order) < F.col(edge)) & (F.col(order) >= shift(F.col(edge), -span))
        beyond_edge = F.col(order) < F.col(edge)
        exhausted = shift(F.col(edge), -span) <= F.lit(limit)
    else:
        pruning = (F.col(order) > F.lit(lo)) & (F.col(order) <= shift(F.lit(hi), span))
        near_edge = (F.col(order) > F.col(edge)) & (F.col(order) <= shift(F.col(edge), span))
        beyond_edge = F.col(order) > F.col(edge)
        exhausted = shift(F.col(edge), span) >= F.lit(limit)
    candidates = source_rows.filter(pruning).select(*slice_columns, order).join(F.broadcast(keyed), slice_columns).filter(near_edge).drop(edge)
    result = nth(candidates).persist()
    # Settled: `rows` rows found, or the span reaches past the source's first (last) row, so no
    # row of the slice lies further out.
    settled = (F.coalesce(F.col("_found"), F.lit(0)) == rows) | (F.lit(limit).isNull() | exhausted)
    unsettled = result.filter(~settled).select(*slice_columns, edge)
    if unsettled.limit(1).count() > 0:
        everything = source_rows.select(*slice_columns, order).join(F.broadcast(unsettled), slice_columns).filter(beyond_edge).drop(edge)
        retried = nth(everything).select(*slice_columns, F.col("_bound").alias("_retried"))
        result = result.join(retried, slice_columns, "left").withColumn("_bound", F.coalesce("_retried", "_bound"))
    return result.select(*slice_columns, F.coalesce(F.col("_bound"), F.col(edge)).alias("_bound"))


def _limits(spark, name, order):
    """The smallest and largest value of `order` in the table, from its files' statistics (no scan)."""
    row = spark.sql("SELECT min(readable_metrics.`{c}`.lower_bound) AS lo, max(readable_metrics.`{c}`.upper_bound) AS hi FROM {t}.files".format(c=order, t=name)).first()
    return row["lo"], row["hi"]


def curate_enriched(spark, request, spec, quality, now, run):
    target = iceberg_table.qualified(request.target_database, spec.table)
    sources = list(spec.raw["sources"])
    exists = iceberg_table.exists(spark, target)
    state = iceberg_table.properties(spark, target) if exists else {}
    definition = iceberg_table.definition_of(spec, request.sql)
    names = {source: iceberg_table.qualified(request.source_database, source) for source in sources}
    snapshots = {source: iceberg_table.current_snapshot(spark, names[source]) for source in sources}
    consumed = {source: state.get(iceberg_table.SOURCE_SNAPSHOT + source) for source in sources}
    empties = {source: spark.table(names[source]).schema for source in sources}
    run.reason = _backfill_reason(request, spec, exists, state, definition, consumed)
    new_state = {iceberg_table.DEFINITION: definition}
    new_state.update({iceberg_table.SOURCE_SNAPSHOT + source: str(snapshots[source]) for source in sources if snapshots[source] is not None})

    changed = [source for source in sources if str(snapshots[source]) != str(consumed[source])]
    if not run.reason and not changed:
        run.outcome = "no changes in {}".format(", ".join(sources))
        return run

    changes = {}
    if not run.reason:
        try:
            for source in changed:
                changes[source] = _changelog(spark, request.source_database, source, consumed[source], snapshots[source])
        except SnapshotsExpired as expired:
            run.reason = str(expired)

    if run.reason:
        for source in sources:
            _source_rows(spark, names[source], snapshots[source], empties[source]).createOrReplaceTempView(source)
        result = run_sql(spark, request, spec)
        check_result_schema(result, spec, request.sql_name or spec.raw.get("sqlFile"))
        result = result.persist()
        run.staged = result.count()
        quality.check(result, spec.table_ruleset, "{}.{}".format(request.target_database, spec.table))
        view = "lakeworks_staged_{}".format(spec.table)
        result.createOrReplaceTempView(view)
        if not exists:
            iceberg_table.create_as(spark, target, spec, request.target_location, view, spec.raw.get("description"))
            run.written = run.staged
            run.outcome = "created with {} rows".format(run.staged)
        else:
            run.changes = iceberg_table.evolve(spark, target, spec)
            result.select(*["`{}`".format(n) for n in spec.column_names]).writeTo(target).overwrite(F.lit(True))
            run.written = run.staged
            run.outcome = "replaced with {} rows".format(run.staged)
        iceberg_table.set_properties(spark, target, new_state)
        result.unpersist()
        return run

    # Incremental: the slices of this table the changes reach.
    first = spec.recompute[sources[0]]
    slice_columns = sorted(first.slice)
    window = first.window
    affected_parts = []
    for source, rows in changes.items():
        mapping = spec.recompute[source].slice
        selected = [F.col("`{}`".format(mapping[column])).alias(column) for column in slice_columns]
        if window:
            selected.append(F.col("`{}`".format(window.order_by)).alias("_order"))
        affected_parts.append(rows.select(*selected))
    affected = affected_parts[0]
    for part in affected_parts[1:]:
        affected = affected.unionByName(part)
    if window:
        affected = affected.groupBy(*slice_columns).agg(F.min("_order").alias("_d0"), F.max("_order").alias("_d1"))
    else:
        affected = affected.distinct()
    affected = affected.persist()
    run.affected = affected.count()

    inputs = {}
    for source in sources:
        mapping = spec.recompute[source].slice
        rows = _source_rows(spark, names[source], snapshots[source], empties[source])
        keys = affected.select(*[F.col(column).alias(mapping[column]) for column in slice_columns] +
                               ([F.col("_d0"), F.col("_d1")] if window else []))
        bounds = _range_predicate(rows, affected, slice_columns, mapping)
        rows = rows.filter(bounds) if bounds is not None else rows
        if window:
            order = window.order_by
            shift = _shifter(rows.schema[order].dataType)
            lo, hi = _limits(spark, names[source], order)
            source_keys = [mapping[column] for column in slice_columns]
            renamed = keys
            starts = _bounds(rows, renamed, source_keys, order, window.rows, -1, shift, lo).withColumnRenamed("_bound", START)
            ends = _bounds(rows, renamed, source_keys, order, window.rows, +1, shift, hi).withColumnRenamed("_bound", END)
            ranges = renamed.join(starts, source_keys).join(ends, source_keys).persist()
            low_all, high_all = ranges.agg(F.min(START), F.max(END)).first()
            rows = rows.filter((F.col(order) >= F.lit(low_all)) & (F.col(order) <= F.lit(high_all)))
            rows = rows.join(F.broadcast(ranges.select(*source_keys, START, END)), source_keys).filter(
                (F.col(order) >= F.col(START)) & (F.col(order) <= F.col(END))).drop(START, END)
            if source == sources[0]:
                window_ranges = ranges.select(*[F.col(mapping[c]).alias(c) for c in slice_columns], F.col("_d0").alias(FIRST_CHANGE), F.col(END))
        else:
            rows = rows.join(F.broadcast(keys.select(*[mapping[c] for c in slice_columns]).distinct()), [mapping[c] for c in slice_columns], "left_semi")
        inputs[source] = rows.persist()
        run.read[source] = inputs[source].count()
        inputs[source].createOrReplaceTempView(source)

    result = run_sql(spark, request, spec)
    check_result_schema(result, spec, request.sql_name or spec.raw.get("sqlFile"))
    if window:
        in_range = (F.col(window.order_by) >= F.col(FIRST_CHANGE)) & (F.col(window.order_by) <= F.col(END))
        recomputed = result.join(F.broadcast(window_ranges), slice_columns).filter(in_range).drop(FIRST_CHANGE, END)
    else:
        recomputed = result.join(F.broadcast(affected), slice_columns, "left_semi")
    recomputed = recomputed.select(*["`{}`".format(n) for n in spec.column_names]).persist()
    run.staged = recomputed.count()
    quality.check(recomputed, spec.table_ruleset, "{}.{}".format(request.target_database, spec.table))

    current = spark.table(target)
    bounds = _range_predicate(current, affected, slice_columns, {c: c for c in slice_columns})
    current = current.filter(bounds) if bounds is not None else current
    if window:
        # The rows a change can reach lie between the earliest first change and the latest reach:
        # said plainly, so Iceberg reads only the partitions in between.
        first, last = window_ranges.agg(F.min(FIRST_CHANGE), F.max(END)).first()
        current = current.filter(F.col(window.order_by).between(F.lit(first), F.lit(last)))
        current = current.join(F.broadcast(window_ranges), slice_columns).filter(in_range).drop(FIRST_CHANGE, END)
    else:
        current = current.join(F.broadcast(affected), slice_columns, "left_semi")
    removed = current.join(recomputed.select(*spec.primary_key), list(spec.primary_key), "left_anti")
    staged = recomputed.withColumn(OPERATION, F.lit("upsert")).unionByName(
        removed.select(*["`{}`".format(n) for n in spec.column_names]).withColumn(OPERATION, F.lit("delete")))
    run.written = replace_rows(spark, target, staged, spec)
    run.outcome = "recomputed {} rows in {} slices, {} changed".format(run.staged, run.affected, run.written)
    iceberg_table.set_properties(spark, target, new_state)
    for rows in inputs.values():
        rows.unpersist()
    recomputed.unpersist()
    affected.unpersist()
    return run


def _range_predicate(rows, affected, slice_columns, mapping):
    """min <= column <= max for each slice column: lets Iceberg skip partitions and files before
    the exact semi-join picks the slices' rows."""
    aggregates = []
    for column in slice_columns:
        aggregates += [F.min(column).alias("min_" + column), F.max(column).alias("max_" + column)]
    extremes = affected.agg(*aggregates).first()
    predicate = None
    for column in slice_columns:
        low, high = extremes["min_" + column], extremes["max_" + column]
        if low is None:
            continue
        term = F.col("`{}`".format(mapping[column])).between(F.lit(low), F.lit(high))
        predicate = term if predicate is None else predicate & term
    return predicate


def _backfill_reason(request, spec, exists, state, definition, consumed):
    if request.mode == "backfill":
        return "backfill requested"
    if not exists:
        return "first run: the table does not exist yet"
    if spec.full_recompute:
        return "recompute: full"
    if state.get(iceberg_table.DEFINITION) != definition:
        return "the table's declaration or SQL changed"
    missing = [source for source, snapshot in consumed.items() if snapshot is None]
    if missing:
        return "no record of what was read from {}".format(", ".join(missing))
    return None

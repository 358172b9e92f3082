"""The two ways a run commits rows to its table, each one Iceberg commit that rewrites only the
files holding rows it changes (copy-on-write), and only when it changes something."""
import re

from pyspark.sql import functions as F

from lakeworks_curation.ordering import wins_sql

OPERATION = "_op"
# Up to this many distinct values a key column is matched with IN (...), beyond with BETWEEN.
MAX_LISTED_VALUES = 1000


def partition_sources(spec):
    """Columns the table is partitioned by (the columns its partition transforms take)."""
    columns = []
    for text in spec.partitioned_by:
        match = re.fullmatch(r"(?:\w+\((?:\d+,\s*)?)?([a-z][a-z0-9_]*)\)?", text.strip())
        if match:
            columns.append(match.group(1))
    return columns


def key_predicate(rows, spec, alias):
    """SQL limiting `alias` (the table) to the partitions the rows' keys can be in: primary key
    columns the table is partitioned by, matched against the values the rows carry. Equal keys
    imply equal values there, so this only tells Iceberg which files it may skip."""
    terms = []
    for column in [c for c in partition_sources(spec) if c in spec.primary_key]:
        values = [row[0] for row in rows.select(column).distinct().limit(MAX_LISTED_VALUES + 1).collect() if row[0] is not None]
        name = "{}.`{}`".format(alias, column)
        if not values:
            continue
        if len(values) <= MAX_LISTED_VALUES:
            terms.append("{} IN ({})".format(name, ", ".join(_literal(v) for v in sorted(values))))
        else:
            low, high = rows.agg(F.min(column), F.max(column)).first()
            terms.append("{} BETWEEN {} AND {}".format(name, _literal(low), _literal(high)))
    return " AND ".join(terms)


def _literal(value):
    if isinstance(value, str):
        return "'{}'".format(value.replace("'", "''"))
    if hasattr(value, "isoformat"):
        kind = "TIMESTAMP" if hasattr(value, "hour") else "DATE"
        return "{} '{}'".format(kind, value.isoformat(sep=" ") if kind == "TIMESTAMP" else value.isoformat())
    return str(value)


def _columns(spec, prefix=""):
    return ", ".join("{}`{}`".format(prefix, name) for name in spec.column_names)


def _on(spec, pruning):
    keys = " AND ".join("t.`{k}` = s.`{k}`".format(k=key) for key in spec.primary_key)
    return "{} AND {}".format(keys, pruning) if pruning else keys


def merge_winners(spark, target, staged, spec, terms):
    """Upsert by primary key: a staged row replaces the table's row only if it wins under `terms`.
    Rows that would change nothing are dropped first, so a re-read delivery commits nothing.
    Returns the number of rows inserted or replaced."""
    pruning = key_predicate(staged, spec, "t")
    staged.createOrReplaceTempView("lakeworks_candidates")
    effective = spark.sql(
        "SELECT s.* FROM lakeworks_candidates s LEFT JOIN (SELECT * FROM {target} t {where}) t ON {keys} "
        "WHERE t.`{first}` IS NULL OR {wins}".format(
            target=target, where="WHERE " + pruning if pruning else "",
            keys=" AND ".join("t.`{k}` = s.`{k}`".format(k=key) for key in spec.primary_key),
            first=spec.primary_key[0], wins=wins_sql(terms))).persist()
    changed = effective.count()
    if changed:
        effective.createOrReplaceTempView("lakeworks_winners")
        assignments = ", ".join("t.`{c}` = s.`{c}`".format(c=name) for name in spec.column_names)
        spark.sql(
            "MERGE INTO {target} t USING lakeworks_winners s ON {on} "
            "WHEN MATCHED THEN UPDATE SET {assignments} "
            "WHEN NOT MATCHED THEN INSERT ({columns}) VALUES ({values})".format(
                target=target, on=_on(spec, key_predicate(effective, spec, "t")), assignments=assignments,
                columns=_columns(spec), values=_columns(spec, "s.")))
    effective.unpersist()
    return changed


def replace_rows(spark, target, changes, spec):
    """Applies recomputed rows (`_op` = upsert) and removals (`_op` = delete) by primary key; an
    upsert equal to the row the table holds is dropped first, so unchanged rows are not rewritten.
    Returns the number of rows inserted, updated or deleted."""
    pruning = key_predicate(changes, spec, "t")
    changes.createOrReplaceTempView("lakeworks_recomputed")
    unchanged = " AND ".join("t.`{c}` <=> s.`{c}`".format(c=name) for name in spec.column_names)
    effective = spark.sql(
        "SELECT s.* FROM lakeworks_recomputed s LEFT JOIN (SELECT * FROM {target} t {where}) t ON {keys} "
        "WHERE s.{op} = 'delete' OR t.`{first}` IS NULL OR NOT ({unchanged})".format(
            target=target, where="WHERE " + pruning if pruning else "", op=OPERATION,
            keys=" AND ".join("t.`{k}` = s.`{k}`".format(k=key) for key in spec.primary_key),
            first=spec.primary_key[0], unchanged=unchanged)).persist()
    changed = effective.count()
    if changed:
        effective.createOrReplaceTempView("lakeworks_changes")
        assignments = ", ".join("t.`{c}` = s.`{c}`".format(c=name) for name in spec.column_names)
        spark.sql(
            "MERGE INTO {target} t USING lakeworks_changes s ON {on} "
            "WHEN MATCHED AND s.{op} = 'delete' THEN DELETE "
            "WHEN MATCHED THEN UPDATE SET {assignments} "
            "WHEN NOT MATCHED AND s.{op} = 'upsert' THEN INSERT ({columns}) VALUES ({values})".format(
                target=target, on=_on(spec, key_predicate(effective, spec, "t")), op=OPERATION, assignments=assignments,
                columns=_columns(spec), values=_columns(spec, "s.")))
    effective.unpersist()
    return changed

"""The curated table in the Iceberg catalog: created from its declaration in one atomic commit with
its first rows, evolved when the declaration changes, and the small state a run keeps on it.

Tables live in the catalog the job configures as `glue_catalog` (the Glue Data Catalog in AWS, a
local JDBC catalog in tests); CloudFormation never declares them, so no stack update can rewrite
their metadata. Jobs never drop a table (their role cannot): columns are added and dropped, types
widened and partitioning changed in place, and a changed declaration rebuilds the rows.
"""
import hashlib
import json
import re

CATALOG = "glue_catalog"

# Properties a run keeps on its table: what it has read, and which declaration built it.
DEFINITION = "lakeworks.definition"
STANDARDIZED_WATERMARK = "lakeworks.standardized-watermark"
SOURCE_SNAPSHOT = "lakeworks.source-snapshot."

TABLE_PROPERTIES = {
    "format-version": "2",
    # Copy-on-write: readers (Athena, QuickSight, DuckDB over data files) never need delete files,
    # and snapshot changelogs (what enriched reads) are exact.
    "write.merge.mode": "copy-on-write",
    "write.update.mode": "copy-on-write",
    "write.delete.mode": "copy-on-write",
    # One writer task per partition, so a daily MERGE adds one file per partition it touches.
    "write.distribution-mode": "hash",
    # Old metadata.json files go with their commits instead of accumulating.
    "write.metadata.delete-after-commit.enabled": "true",
    "write.metadata.previous-versions-max": "50",
}

# Type changes Iceberg makes in place (Iceberg spec, "Schema Evolution").
_WIDENINGS = {("int", "bigint"), ("float", "double")}


def qualified(database, table):
    return "{}.`{}`.`{}`".format(CATALOG, database, table)


def definition_of(spec, sql):
    """A fingerprint of everything that decides the table's rows: a change rebuilds them."""
    decided = {key: value for key, value in spec.raw.items() if key not in ("tableRuleset", "sourceRuleset")}
    text = json.dumps(decided, sort_keys=True) + "\n" + sql.strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def exists(spark, name):
    return spark.catalog.tableExists(name)


def properties(spark, name):
    return {row["key"]: row["value"] for row in spark.sql("SHOW TBLPROPERTIES " + name).collect()}


def set_properties(spark, name, values):
    if values:
        assignments = ", ".join("'{}' = '{}'".format(key, str(value).replace("'", "''")) for key, value in sorted(values.items()))
        spark.sql("ALTER TABLE {} SET TBLPROPERTIES ({})".format(name, assignments))


def current_snapshot(spark, name):
    """The snapshot id the table's main branch points at; None for a table never written."""
    rows = spark.sql("SELECT snapshot_id FROM {}.refs WHERE name = 'main'".format(name)).collect()
    return rows[0]["snapshot_id"] if rows else None


def create_as(spark, name, spec, location, rows_view, description=None):
    """Creates the table with its first rows in one commit (readers never see it half-built)."""
    columns = ", ".join("CAST(`{}` AS {}) AS `{}`".format(c.name, c.spark_type.simpleString(), c.name) for c in spec.columns)
    props = dict(TABLE_PROPERTIES)
    spark.sql(
        "CREATE TABLE {name} USING iceberg {partitioned} LOCATION '{location}' {comment} TBLPROPERTIES ({props}) AS SELECT {columns} FROM {view}".format(
            name=name,
            partitioned="PARTITIONED BY ({})".format(", ".join(spec.partitioned_by)) if spec.partitioned_by else "",
            location=location.replace("'", "''"),
            comment="COMMENT '{}'".format(description.replace("'", "''")) if description else "",
            props=", ".join("'{}' = '{}'".format(k, v) for k, v in sorted(props.items())),
            columns=columns,
            view=rows_view,
        )
    )


def _partition_fields(spark, name):
    fields, in_section = [], False
    for row in spark.sql("DESCRIBE TABLE " + name).collect():
        if row["col_name"] == "# Partitioning":
            in_section = True
            continue
        if in_section:
            if not row["col_name"] or row["col_name"].startswith("#"):
                break
            if row["col_name"].startswith("Part "):
                fields.append(re.sub(r"\s+", "", row["data_type"]))
    return fields


def evolve(spark, name, spec):
    """Brings the table's columns and partitioning to the declaration; returns what changed."""
    changes = []
    table = spark.table(name)
    current = {field.name: field.dataType.simpleString() for field in table.schema.fields}
    declared = [(c.name, c.spark_type.simpleString()) for c in spec.columns]
    for column, type_ in declared:
        if column in current and current[column] != type_:
            if (current[column], type_) not in _WIDENINGS and not _is_decimal_widening(current[column], type_):
                raise ValueError(
                    "{}: column {} is {} and is declared {}; Iceberg cannot change that type in place. "
                    "Declare a new column instead (and stop selecting the old one).".format(name, column, current[column], type_))
            spark.sql("ALTER TABLE {} ALTER COLUMN `{}` TYPE {}".format(name, column, type_))
            changes.append("{}: {} -> {}".format(column, current[column], type_))
    for column in current:
        if column not in dict(declared):
            spark.sql("ALTER TABLE {} DROP COLUMN `{}`".format(name, column))
            changes.append("dropped {}".format(column))
    previous = None
    for column, type_ in declared:
        if column not in current:
            position = "AFTER `{}`".format(previous) if previous else "FIRST"
            spark.sql("ALTER TABLE {} ADD COLUMN `{}` {} {}".format(name, column, type_, position))
            changes.append("added {}".format(column))
        previous = column
    order = [field.name for field in spark.table(name).schema.fields]
    if order != [column for column, _ in declared]:
        previous = None
        for column, _ in declared:
            spark.sql("ALTER TABLE {} ALTER COLUMN `{}` {}".format(name, column, "AFTER `{}`".format(previous) if previous else "FIRST"))
            previous = column
        changes.append("reordered columns")
    have = _partition_fields(spark, name)
    want = [re.sub(r"\s+", "", text) for text in spec.partitioned_by]
    for field in have:
        if field not in want:
            spark.sql("ALTER TABLE {} DROP PARTITION FIELD {}".format(name, field))
            changes.append("partition field {} dropped".format(field))
    for field in want:
        if field not in have:
            spark.sql("ALTER TABLE {} ADD PARTITION FIELD {}".format(name, field))
            changes.append("partition field {} added".format(field))
    return changes


def _is_decimal_widening(old, new):
    a, b = re.fullmatch(r"decimal\((\d+),(\d+)\)", old), re.fullmatch(r"decimal\((\d+),(\d+)\)", new)
    return bool(a and b and a.group(2) == b.group(2) and int(b.group(1)) > int(a.group(1)))

"""A table's declaration as the job receives it (`--table_spec`, built by lib/curation/table-spec.ts)."""
import json
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from pyspark.sql import types as T

SPEC_VERSION = 1
INGESTED_AT = "ingested_at"

_SIMPLE_TYPES = {
    "string": T.StringType(),
    "int": T.IntegerType(),
    "bigint": T.LongType(),
    "double": T.DoubleType(),
    "boolean": T.BooleanType(),
    "date": T.DateType(),
    "timestamp": T.TimestampType(),
}
_DECIMAL = re.compile(r"^decimal\((\d+),(\d+)\)$")


def spark_type(configured):
    """The Spark type of a configured column type (string, bigint, decimal(18,6), ...)."""
    if configured in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[configured]
    match = _DECIMAL.match(configured)
    if match:
        return T.DecimalType(int(match.group(1)), int(match.group(2)))
    raise ValueError("unknown column type {!r}".format(configured))


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool

    @property
    def spark_type(self):
        return spark_type(self.type)


@dataclass(frozen=True)
class OrderTerm:
    column: str
    descending: bool
    nulls_first: bool

    @classmethod
    def parse(cls, text):
        match = re.fullmatch(r"([a-z][a-z0-9_]*) (ASC|DESC) NULLS (FIRST|LAST)", text)
        if not match:
            raise ValueError("expected '<column> ASC|DESC NULLS FIRST|LAST'; got {!r}".format(text))
        return cls(match.group(1), match.group(2) == "DESC", match.group(3) == "FIRST")

    def sql(self, qualifier=""):
        return "{}`{}` {} NULLS {}".format(qualifier, self.column, "DESC" if self.descending else "ASC", "FIRST" if self.nulls_first else "LAST")


@dataclass(frozen=True)
class Window:
    order_by: str
    rows: int


@dataclass(frozen=True)
class Recompute:
    """How a change in one source table reaches this table: target column -> source column."""
    slice: Dict[str, str]
    window: Optional[Window] = None


@dataclass(frozen=True)
class TableSpec:
    layer: str
    table: str
    columns: Tuple[Column, ...]
    primary_key: Tuple[str, ...]
    partitioned_by: Tuple[str, ...]
    table_ruleset: str
    source: Optional[str] = None
    source_ruleset: str = ""
    precedence: Tuple[OrderTerm, ...] = ()
    recompute: Optional[Dict[str, Recompute]] = None
    full_recompute: bool = False
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def parse(cls, value):
        spec = json.loads(value) if isinstance(value, str) else value
        if spec.get("version") != SPEC_VERSION:
            raise ValueError("table spec version {!r}; this job reads version {}".format(spec.get("version"), SPEC_VERSION))
        common = dict(
            layer=spec["layer"],
            table=spec["table"],
            columns=tuple(Column(c["name"], c["type"], bool(c["nullable"])) for c in spec["columns"]),
            primary_key=tuple(spec["primaryKey"]),
            partitioned_by=tuple(spec["partitionedBy"]),
            table_ruleset=spec["tableRuleset"],
            raw=spec,
        )
        if spec["layer"] == "conformed":
            return cls(source=spec["source"], source_ruleset=spec.get("sourceRuleset", ""),
                       precedence=tuple(OrderTerm.parse(term) for term in spec["precedence"]), **common)
        if spec["layer"] == "enriched":
            if spec["recompute"] == "full":
                return cls(full_recompute=True, **common)
            recompute = {
                name: Recompute(dict(source["slice"]), Window(source["window"]["orderBy"], int(source["window"]["rows"])) if source.get("window") else None)
                for name, source in spec["recompute"].items()
            }
            return cls(recompute=recompute, **common)
        raise ValueError("unknown layer {!r}".format(spec["layer"]))

    @property
    def column_names(self) -> List[str]:
        return [column.name for column in self.columns]

    @property
    def schema(self):
        return T.StructType([T.StructField(c.name, c.spark_type, True) for c in self.columns])

"""One run of a curated table's job: conformed or enriched, incremental or backfill."""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Dict, List, Optional

from lakeworks_curation.conformed import curate_conformed
from lakeworks_curation.enriched import curate_enriched
from lakeworks_curation.spec import TableSpec

MODES = ("incremental", "backfill")


@dataclass(frozen=True)
class CurationRequest:
    spec: dict
    sql: str
    source_database: str
    target_database: str
    target_location: str
    standardized_location: Optional[str] = None
    mode: str = "incremental"
    # Where the SQL came from, for error messages.
    sql_name: Optional[str] = None


@dataclass
class RunReport:
    """What a run did, printed as the job's last log line and returned to local mode and tests."""
    table: str
    layer: str
    mode: str
    reason: Optional[str] = None
    outcome: str = ""
    read: Dict[str, int] = field(default_factory=dict)
    manifests: int = 0
    affected: int = 0
    staged: int = 0
    # Rows the commit inserted, replaced or deleted (a backfill replaces every row).
    written: int = 0
    changes: List[str] = field(default_factory=list)

    def summary(self):
        return {
            "table": "{}.{}".format(self.layer, self.table), "mode": self.mode, "backfill": self.reason, "outcome": self.outcome,
            "rowsRead": self.read, "manifests": self.manifests, "slices": self.affected, "rowsComputed": self.staged, "rowsWritten": self.written,
            "schemaChanges": self.changes,
        }


def run_curation(spark, request, quality, now=None):
    if request.mode not in MODES:
        raise ValueError("--mode must be one of {}; got {!r}".format(", ".join(MODES), request.mode))
    spec = TableSpec.parse(request.spec)
    now = now or datetime.now(timezone.utc)
    report = RunReport(table=spec.table, layer=spec.layer, mode=request.mode)
    if spec.layer == "conformed":
        if not request.standardized_location:
            raise ValueError("a conformed table needs --standardized_location")
        return curate_conformed(spark, request, spec, quality, now, report)
    return curate_enriched(spark, request, spec, quality, now, report)

"""What the transform wrote since a point in time, from its manifests (contract/standardized-layout.ts):

    manifests/<dataset>/<yyyy-mm-dd>/<sourceId>.json

A manifest is written after every file it names and is filed under the UTC day it was written, so
the days since the last run are all a run lists: what it reads grows with new data, not history.
"""
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional

from lakeworks_curation.storage import join, list_directory, list_files

MANIFEST_FORMAT = "lakeworks.standardized-manifest/1"
MANIFESTS_PREFIX = "manifests"
DATA_FILE = re.compile(r"^part-([0-9a-f]+)-\d+\.parquet$")

# Manifests whose write began before a run's listing may not be in it yet; each run therefore also
# looks at manifests from this long before the previous run's listing. Re-reading them is harmless:
# the MERGE keeps the winning copy of each key, and a copy it already holds changes nothing.
OVERLAP = timedelta(hours=1)


@dataclass(frozen=True)
class Manifest:
    uri: str
    source_id: str
    ingested_at: datetime
    files: List[str]
    rows: int


def _parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def _read_all(spark, uris):
    """Every manifest's JSON, by file name, read in one Spark job however many there are."""
    if not uris:
        return {}
    rows = spark.read.option("wholetext", True).text(uris).select("value", "_metadata.file_name").collect()
    documents = {}
    for row in rows:
        document = json.loads(row["value"])
        if document.get("format") != MANIFEST_FORMAT:
            raise ValueError("{}: format {!r}; expected {}".format(row["file_name"], document.get("format"), MANIFEST_FORMAT))
        documents[row["file_name"]] = document
    return documents


def source_id_of(file_name):
    """The source object id in a data file's name (part-<sourceId>-<n>.parquet), or None."""
    match = DATA_FILE.match(file_name)
    return match.group(1) if match else None


def manifests_since(spark, standardized_location, dataset, since: Optional[datetime], until: datetime) -> List[Manifest]:
    """Manifests of `dataset` written after `since` - OVERLAP and up to `until`; every one when `since` is None."""
    root = join(standardized_location, MANIFESTS_PREFIX, dataset)
    if since is None:
        days = [name for name, is_dir, _ in list_directory(spark, root) if is_dir]
    else:
        first = (since - OVERLAP).date()
        days = [join(root, (first + timedelta(days=n)).isoformat()) for n in range((until.date() - first).days + 1)]
    listed = []
    for day in sorted(days):
        for stored in list_files(spark, day, ".json"):
            if since is not None and stored.modified <= since - OVERLAP:
                continue
            if stored.modified > until:
                continue
            listed.append(stored)
    documents = _read_all(spark, [stored.uri for stored in listed])
    found = []
    for stored in listed:
        name = stored.uri.rsplit("/", 1)[1]
        document = documents[name]
        found.append(Manifest(
            uri=stored.uri,
            source_id=name[: -len(".json")],
            ingested_at=_parse_time(document["ingestedAt"]),
            files=[join(standardized_location, entry["key"]) for entry in document["files"]],
            rows=sum(int(entry["rows"]) for entry in document["files"]),
        ))
    return found

"""Listing and reading objects through Spark's Hadoop file system: s3:// in Glue (EMRFS, with the
job role), file:// locally, one code path for both."""
from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class StoredFile:
    uri: str
    modified: datetime


def _path(spark, uri):
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path, path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())


def list_directory(spark, uri):
    """Immediate children of a directory (files and folders); [] when it does not exist."""
    path, fs = _path(spark, uri)
    if not fs.exists(path):
        return []
    return [
        (status.getPath().toString(), status.isDirectory(),
         datetime.fromtimestamp(status.getModificationTime() / 1000, tz=timezone.utc))
        for status in fs.listStatus(path)
    ]


def list_files(spark, uri, suffix=""):
    """Files directly under a folder whose names end with `suffix`, with their modification times."""
    return [StoredFile(child, modified) for child, is_dir, modified in list_directory(spark, uri) if not is_dir and child.endswith(suffix)]


def join(base, *parts):
    return "/".join([base.rstrip("/")] + [part.strip("/") for part in parts])

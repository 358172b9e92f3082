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


def read_text(spark, uri):
    """A small object's text, or None when it does not exist."""
    path, fs = _path(spark, uri)
    if not fs.exists(path):
        return None
    stream = fs.open(path)
    try:
        reader = spark.sparkContext._jvm.java.io.BufferedReader(spark.sparkContext._jvm.java.io.InputStreamReader(stream, "UTF-8"))
        lines = []
        line = reader.readLine()
        while line is not None:
            lines.append(line)
            line = reader.readLine()
        return "\n".join(lines)
    finally:
        stream.close()


def write_text(spark, uri, text):
    """Writes a small object whole (one PUT on S3: readers see the old text or the new)."""
    path, fs = _path(spark, uri)
    stream = fs.create(path, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def delete(spark, uri):
    path, fs = _path(spark, uri)
    if fs.exists(path):
        fs.delete(path, True)

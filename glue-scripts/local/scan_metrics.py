"""Rows Spark read, per table, from the plans of the queries a Spark session ran: each scan's
"number of output rows" (Spark's own SQL metrics, kept whether or not the UI runs). Iceberg
scans are named by table; Parquet scans by the dataset folder of the files they read. Scans of
data already read (cached or local rows) are not counted again."""
import re


class ScanRows:
    def __init__(self, spark):
        # Plan descriptions name the files a Parquet scan read; keep them whole.
        spark.conf.set("spark.sql.maxMetadataStringLength", "100000")
        self._jvm = spark.sparkContext._jvm
        self._store = spark._jsparkSession.sharedState().statusStore()
        self._seen = {execution.executionId() for execution in self._executions()}

    def _java(self, seq):
        return self._jvm.scala.collection.JavaConverters.seqAsJavaList(seq)

    def _executions(self):
        return list(self._java(self._store.executionsList()))

    def collect(self):
        """Rows read per table by the queries run since the last call (or since construction)."""
        rows = {}
        for execution in self._executions():
            identifier = execution.executionId()
            if identifier in self._seen:
                continue
            self._seen.add(identifier)
            values = self._jvm.scala.collection.JavaConverters.mapAsJavaMap(self._store.executionMetrics(identifier))
            for node in self._java(self._store.planGraph(identifier).allNodes()):
                table = _table_of(node.name(), node.desc())
                if table is None:
                    continue
                for metric in self._java(node.metrics()):
                    if metric.name() == "number of output rows":
                        text = values.get(metric.accumulatorId())
                        if text:
                            rows[table] = rows.get(table, 0) + int(re.sub(r"[^0-9].*", "", str(text).replace(",", "").strip()) or 0)
        return rows


def _table_of(name, description):
    """`<database>.<table>` (metadata tables as `<database>.<table>$<kind>`), or None for no table."""
    if name.startswith("BatchScan "):
        parts = name[len("BatchScan "):].replace("`", "").split(".")
        return "{}.{}".format(parts[1], "$".join(parts[2:]))
    if name.startswith("Scan parquet"):
        match = re.search(r"InMemoryFileIndex[^\[]*\[[^\]]*?/standardized/([a-z][a-z0-9_]*)", description)
        return "standardized." + match.group(1) if match else "parquet files"
    return None

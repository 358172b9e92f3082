"""A line of business's lake on this machine, driven day by day (by the Spark tests and the
curation benchmark): raw files go through the real
transform (tools/local/transform-files.ts) into a standardized folder, with manifests timed as S3
would time them; the curated jobs run through the same library the Glue entry point calls, with
the arguments CurationStack gives them. Several lakes can share one Spark session: each gets its
own databases (a suffix on the deployed names)."""
import json
import os
import subprocess
from datetime import timezone

from lakeworks_curation import iceberg_table
from lakeworks_curation.job import CurationRequest, run_curation
from lakeworks_curation.quality import GlueDataQuality
from awsglue.context import GlueContext

from local.plan import curation_plan
from local.run_curation import prepare_catalog
from local.spark_session import REPOSITORY


class LocalLake:
    def __init__(self, spark, lob, root, suffix, config_dir=None):
        self.spark = spark
        self.lob = lob
        self.root = str(root)
        self.config_dir = config_dir
        plan = curation_plan(lob, self.root, config_dir)
        # Own databases, so lakes do not share tables in the one session.
        renames = {name: "{}_{}".format(name, suffix) for name in plan["databases"].values()}
        plan["databases"] = {layer: renames[name] for layer, name in plan["databases"].items()}
        for table in plan["standardizedTables"]:
            table["database"] = renames[table["database"]]
        for job in plan["jobs"]:
            for argument in ("--source_database", "--target_database"):
                job["arguments"][argument] = renames[job["arguments"][argument]]
        self.plan = plan
        self.quality = GlueDataQuality(GlueContext(spark.sparkContext), "lakeworks-tests")
        prepare_catalog(spark, plan)

    # -- raw data in -------------------------------------------------------------------------
    def deliver(self, deliveries, at):
        """Transforms raw objects that arrived at `at`; returns the transform's results."""
        stamp = at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
        request = {"lob": self.lob, "root": self.root, "config": self.config_dir, "deliveries": [
            dict(delivery, ingestedAt=delivery.get("ingestedAt", stamp), writtenAt=stamp, version=delivery.get("version", "v-" + stamp))
            for delivery in deliveries]}
        completed = subprocess.run(["npx", "--no-install", "tsx", "tools/local/transform-files.ts"], cwd=REPOSITORY,
                                   input=json.dumps(request), capture_output=True, text=True)
        if completed.returncode != 0:
            raise RuntimeError("transform failed:\n" + completed.stderr)
        results = json.loads(completed.stdout)
        # S3 stamps an object when it is written: the transform wrote these at `at`.
        for result in results:
            for key in result["outputs"] + ([result["manifest"]] if result.get("manifest") else []):
                os.utime(os.path.join(self.root, "standardized", key), (at.timestamp(), at.timestamp()))
        return results

    # -- curation ------------------------------------------------------------------------------
    def job(self, table):
        return next(job for job in self.plan["jobs"] if job["table"] == table)

    def request(self, job, mode="incremental", spec=None, sql=None):
        arguments = job["arguments"]
        return CurationRequest(
            spec=spec or json.loads(arguments["--table_spec"]),
            sql=sql if sql is not None else open(arguments["--sql_path"], encoding="utf-8").read(),
            source_database=arguments["--source_database"],
            target_database=arguments["--target_database"],
            target_location=arguments["--target_location"],
            standardized_location=arguments.get("--standardized_location"),
            mode=mode,
            sql_name=os.path.relpath(arguments["--sql_path"], REPOSITORY),
        )

    def curate(self, now, mode="incremental", tables=None):
        """Every job in the state machine's order (conformed, then enriched); reports by table."""
        reports = {}
        for job in self.plan["jobs"]:
            if tables is None or job["table"] in tables:
                reports[job["table"]] = run_curation(self.spark, self.request(job, mode), self.quality, now=now)
        return reports

    # -- reading back --------------------------------------------------------------------------
    def name(self, layer, table):
        return iceberg_table.qualified(self.plan["databases"][layer], table)

    def rows(self, layer, table, order=None):
        frame = self.spark.table(self.name(layer, table))
        columns = [c for c in frame.columns]
        return [tuple(row) for row in frame.orderBy(*(order or columns)).collect()]

    def snapshot(self, layer, table):
        return iceberg_table.current_snapshot(self.spark, self.name(layer, table))

    def snapshots(self, layer, table):
        return self.spark.sql("SELECT count(*) FROM {}.snapshots".format(self.name(layer, table))).first()[0]


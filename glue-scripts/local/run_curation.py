"""Runs a LoB's curated layers on this machine through the Glue entry points, in the order the
curation state machine runs them: every conformed job, then every enriched job.

    .venv/bin/python glue-scripts/local/run_curation.py --plan plan.json --workspace <dir> [--mode backfill]

`--workspace` keeps the local Iceberg catalog between runs, so a second run is incremental as the
deployed schedule's is. Prints one JSON line per table (its run report), then a summary line.
"""
import argparse
import contextlib
import importlib.util
import json
import os
import sys
import traceback

GLUE_SCRIPTS = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
for folder in ("stand_ins", "src", ""):
    if os.path.join(GLUE_SCRIPTS, folder) not in sys.path:
        sys.path.insert(0, os.path.join(GLUE_SCRIPTS, folder))

from local.catalog import declare_standardized_table  # noqa: E402
from local.plan import job_argv  # noqa: E402
from local.spark_session import ICEBERG_CATALOG, local_session  # noqa: E402


def entry_point(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(GLUE_SCRIPTS, "jobs", name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare_catalog(spark, plan):
    """What CatalogStack deploys: the databases, and the standardized tables without partitions."""
    for entry in plan["standardizedTables"]:
        declare_standardized_table(spark, entry["database"], entry["tableInput"], plan["buckets"])
    for layer in ("conformed", "enriched"):
        spark.sql("CREATE NAMESPACE IF NOT EXISTS {}.`{}`".format(ICEBERG_CATALOG, plan["databases"][layer]))


def run_plan(spark, plan, mode="incremental", only=None):
    """Runs every job of the plan (or those named in `only`); returns their reports."""
    prepare_catalog(spark, plan)
    curate = entry_point("curate_table")
    reports = []
    for job in plan["jobs"]:
        if only and job["table"] not in only:
            continue
        argv = job_argv(job)
        argv[argv.index("--mode") + 1] = mode
        reports.append(curate.main(argv))
    return reports


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", required=True, help="curation plan JSON (tools/local/curation-plan.ts), or - for stdin")
    parser.add_argument("--workspace", required=True, help="folder of the local Iceberg catalog, kept between runs")
    parser.add_argument("--mode", choices=["incremental", "backfill"], default="incremental")
    args = parser.parse_args()
    plan = json.load(sys.stdin if args.plan == "-" else open(args.plan, encoding="utf-8"))
    # The jobs' own log lines go to stderr: stdout carries only the summary.
    with contextlib.redirect_stdout(sys.stderr):
        spark = local_session(args.workspace)
        try:
            reports = run_plan(spark, plan, args.mode)
        except Exception as error:  # noqa: BLE001 (reported in one line, after Spark's own log)
            traceback.print_exc()
            print("lakeworks: " + " ".join(str(error).split()), file=sys.stderr)
            sys.exit(1)
        finally:
            spark.stop()
    print(json.dumps({"curated": [report.summary() for report in reports]}, sort_keys=True))


if __name__ == "__main__":
    main()

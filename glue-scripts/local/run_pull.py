"""Runs a database source's pull on this machine through the Glue entry point
(jobs/pull_database.py), against a database the user names, into a local raw folder:

    LAKEWORKS_DB_USER=... LAKEWORKS_DB_PASSWORD=... .venv/bin/python glue-scripts/local/run_pull.py \
        --spec spec.json --raw <dir> --state <file> --workspace <dir>

`--spec` is the job's --source_spec as the stack writes it, with the JDBC URL replaced by the one
the user named. The credentials come from the environment, never from the command line (where other
users of the machine could read them); they stand in for the Secrets Manager secret. The state file
is kept between runs, so the next local pull is incremental as the scheduled one is. Prints the
run's report as one JSON line.
"""
import argparse
import json
import os
import sys

GLUE_SCRIPTS = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
for folder in ("stand_ins", "src", ""):
    if os.path.join(GLUE_SCRIPTS, folder) not in sys.path:
        sys.path.insert(0, os.path.join(GLUE_SCRIPTS, folder))

from local.run_curation import entry_point  # noqa: E402
from local.spark_session import local_session  # noqa: E402

USER_VARIABLE = "LAKEWORKS_DB_USER"
PASSWORD_VARIABLE = "LAKEWORKS_DB_PASSWORD"


def environment_credentials(_secret_id):
    missing = [name for name in (USER_VARIABLE, PASSWORD_VARIABLE) if not os.environ.get(name)]
    if missing:
        raise SystemExit("set {} to the database user's name and password".format(" and ".join(missing)))
    return {"username": os.environ[USER_VARIABLE], "password": os.environ[PASSWORD_VARIABLE]}


def run(spec_file, raw, state, workspace):
    with open(spec_file, encoding="utf-8") as handle:
        spec = handle.read()
    local_session(workspace, app_name="lakeworks-local-pull")
    job = entry_point("pull_database")
    report = job.main(["pull_database.py", "--JOB_NAME", "local-pull", "--source_spec", spec, "--secret_id", "local-environment",
                       "--raw_location", "file://" + os.path.abspath(raw) + "/", "--state_location", "file://" + os.path.abspath(state)],
                      credentials=environment_credentials)
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spec", required=True)
    parser.add_argument("--raw", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--workspace", required=True)
    args = parser.parse_args(argv)
    run(args.spec, args.raw, args.state, args.workspace)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The curation plan of a LoB (tools/local/curation-plan.ts): the standardized tables as CatalogStack
declares them and every job's arguments as CurationStack passes them."""
import json
import subprocess

from local.spark_session import REPOSITORY


def curation_plan(lob, root, config_dir=None):
    command = ["npx", "--no-install", "tsx", "tools/local/curation-plan.ts", "--lob", lob, "--root", root]
    if config_dir:
        command += ["--config", config_dir]
    completed = subprocess.run(command, cwd=REPOSITORY, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError("curation plan of {} failed:\n{}".format(lob, completed.stderr))
    return json.loads(completed.stdout)


def job_argv(job, job_name=None):
    """The job's arguments as Glue hands them to the script: --name value pairs."""
    argv = ["curate_table.py", "--JOB_NAME", job_name or "{}-{}".format(job["layer"], job["table"])]
    for name, value in job["arguments"].items():
        argv += [name, value]
    return argv

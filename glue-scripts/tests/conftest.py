"""The Spark tests run the Glue entry points and the curated SQL on PySpark with the Iceberg
runtime of the Glue version the jobs declare (glue-runtime.json). Only Glue's own modules are stood
in for (glue-scripts/stand_ins); everything below them is the real engine."""
import os
import sys
import time

import pytest

# PySpark turns timestamps into Python datetimes in the process's time zone; the lake is UTC.
os.environ["TZ"] = "UTC"
time.tzset()

GLUE_SCRIPTS = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
for folder in ("stand_ins", "src", ""):
    path = os.path.join(GLUE_SCRIPTS, folder)
    if path not in sys.path:
        sys.path.insert(0, path)

from local.spark_session import local_session  # noqa: E402


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    session = local_session(str(tmp_path_factory.mktemp("spark")), app_name="lakeworks-tests")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def plans(tmp_path_factory):
    """The sample LoBs' curation plans (tools/local/curation-plan.ts), rooted in a scratch folder."""
    from local.plan import curation_plan

    root = tmp_path_factory.mktemp("plans")
    return {lob: curation_plan(lob, str(root / lob)) for lob in ("finance", "marketing")}


@pytest.fixture(scope="session")
def cloud_assembly(tmp_path_factory):
    """The sample app synthesized as `cdk synth` does (bin/app.ts), security baseline included."""
    import subprocess

    from local.spark_session import REPOSITORY

    out = tmp_path_factory.mktemp("cdk.out")
    completed = subprocess.run(["npx", "--no-install", "tsx", "bin/app.ts"], cwd=REPOSITORY, env=dict(os.environ, CDK_OUTDIR=str(out)),
                               capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError("synth failed:\n" + completed.stderr[-4000:])
    return out


def stack_template(assembly, display_name):
    """The template of the stack whose construct path is `display_name` (e.g. dev/finance-catalog)."""
    import json

    stage = display_name.split("/")[0]
    manifest = json.load(open(os.path.join(assembly, "assembly-" + stage, "manifest.json"), encoding="utf-8"))
    for artifact in manifest["artifacts"].values():
        if artifact.get("displayName") == display_name and artifact["type"] == "aws:cloudformation:stack":
            return json.load(open(os.path.join(assembly, "assembly-" + stage, artifact["properties"]["templateFile"]), encoding="utf-8"))
    raise KeyError(display_name)

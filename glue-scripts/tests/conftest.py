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

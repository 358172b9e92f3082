"""Local mode's database pull (glue-scripts/local/run_pull.py, behind `npm run local -- --pull`):
the Glue entry point against a PostgreSQL on loopback named by JDBC URL, credentials from the
environment, into a local raw folder, incremental across runs through the kept state file."""
import glob
import gzip
import json
import os

import pytest

from local import run_pull
from local.postgres import LocalPostgres


@pytest.fixture(scope="module")
def crm():
    server = LocalPostgres().start()
    server.sql("""
        CREATE TABLE accounts (account_id bigint PRIMARY KEY, name text NOT NULL, updated_at timestamp NOT NULL);
        INSERT INTO accounts VALUES (1, 'Acme', '2024-03-01 08:00:00'), (2, 'Globex', '2024-03-01 09:30:00');
    """)
    yield server
    server.stop()


def rows_under(raw):
    rows = []
    for file in sorted(glob.glob(os.path.join(raw, "landing", "accounts", "*", "*.json.gz"))):
        with gzip.open(file, "rt", encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    return rows


def test_pulls_what_changed_into_landing_and_keeps_its_mark(spark, crm, tmp_path, monkeypatch):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"version": 1, "dataset": "accounts", "jdbcUrl": crm.jdbc_url, "table": "accounts",
                                "incremental": {"column": "updated_at", "kind": "timestamp", "lookbackSeconds": 0}}))
    raw, state = tmp_path / "raw", tmp_path / "state" / "accounts.json"
    monkeypatch.setenv(run_pull.USER_VARIABLE, crm.user)
    monkeypatch.setenv(run_pull.PASSWORD_VARIABLE, crm.password)

    first = run_pull.run(str(spec), str(raw), str(state), str(tmp_path / "workspace"))
    assert first.rows == 2
    assert sorted(row["account_id"] for row in rows_under(str(raw))) == [1, 2]
    assert json.loads(state.read_text())["committed"].startswith("2024-03-01T09:30:00")

    crm.sql("INSERT INTO accounts VALUES (3, 'Initech', '2024-03-02 10:00:00'); UPDATE accounts SET name = 'Acme Corp', updated_at = '2024-03-02 11:00:00' WHERE account_id = 1;")
    second = run_pull.run(str(spec), str(raw), str(state), str(tmp_path / "workspace"))
    assert second.rows == 2 and second.folder != first.folder
    assert sorted((row["account_id"], row["name"]) for row in rows_under(str(raw))) == [(1, "Acme"), (1, "Acme Corp"), (2, "Globex"), (3, "Initech")]

    assert run_pull.run(str(spec), str(raw), str(state), str(tmp_path / "workspace")).outcome == "no new rows"


def test_refuses_to_run_without_credentials(crm, tmp_path, monkeypatch):
    monkeypatch.delenv(run_pull.USER_VARIABLE, raising=False)
    monkeypatch.setenv(run_pull.PASSWORD_VARIABLE, "x")
    with pytest.raises(SystemExit, match="LAKEWORKS_DB_USER"):
        run_pull.environment_credentials("local-environment")

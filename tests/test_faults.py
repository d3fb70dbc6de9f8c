"""Faults survived: gunicorn killed with SIGKILL while answers are saved, and PostgreSQL
restarted under load. Each runs tests/programs/fault_load.py on an empty database of the
test run's engine; it checks every acknowledged answer, the database's integrity and that
the app serves again by itself."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections

from .scratch_databases import scratch_databases

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "tests" / "programs" / "fault_load.py"


def run_fault(fault, url, tmp_path):
    env = {**os.environ, "DATABASE_URL": url, "PALIERS_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, str(PROGRAM), fault], env=env, capture_output=True, text=True, cwd=ROOT,
        check=False, timeout=300,
    )  # fmt: skip


def test_gunicorn_killed_mid_load_loses_no_acknowledged_answer(tmp_path, db):
    with scratch_databases(tmp_path, 1) as (url,):
        result = run_fault("sigkill", url, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "SIGKILL envoyé" in result.stdout and "tous en base" in result.stdout
    assert result.stdout.strip().endswith("OK")


# Only the PostgreSQL pass of make test has a server of its own to restart (it says where
# in PALIERS_PG_DATA): the SQLite pass does not define this test rather than skip it.
if os.environ.get("PALIERS_PG_DATA"):

    @pytest.mark.alone
    def test_postgresql_restarted_under_load_the_app_recovers_alone(tmp_path, db):
        assert connection.vendor == "postgresql"
        with scratch_databases(tmp_path, 1) as (url,):
            try:
                result = run_fault("pg-restart", url, tmp_path)
            finally:
                # This process's own connections died with the server: the next test reconnects.
                connections.close_all()
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        assert "PostgreSQL redémarré" in result.stdout and "tous en base" in result.stdout
        assert result.stdout.strip().endswith("OK")

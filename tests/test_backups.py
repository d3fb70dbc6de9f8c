"""`paliers backup` while answers are being saved, `paliers restore` into a new database.

Runs against the database engine of the test run: SQLite files in a temporary folder, or
two fresh databases on the throw-away PostgreSQL server of `scripts/with-postgres.sh`.
"""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .scratch_databases import scratch_databases

ROOT = Path(__file__).resolve().parent.parent
WRITER = ROOT / "tests" / "programs" / "write_answers.py"


@pytest.fixture
def databases(tmp_path, db):
    """Three empty databases: the live one and two restore targets."""
    with scratch_databases(tmp_path, 3) as urls:
        yield urls


def environment(url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PALIERS_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "paliers.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def paliers(url, tmp_path, *args):
    result = subprocess.run(
        [sys.executable, "-m", "paliers.cli", *args], env=environment(url, tmp_path),
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result


def tables(url):
    """{table: sorted rows} of every table of the database at `url`."""
    if url.startswith("sqlite:"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            return {n: sorted(map(repr, db.execute(f'SELECT * FROM "{n}"'))) for n in names}  # noqa: S608
    import psycopg

    with psycopg.connect(url) as db:
        names = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {n: sorted(map(repr, db.execute(f'SELECT * FROM "{n}"'))) for n in names}  # noqa: S608


def consistent(url):
    """Each acknowledged save raised one answer's version by one and wrote one history row,
    in one transaction: in a consistent copy both counts agree."""
    query = (
        "SELECT (SELECT COALESCE(SUM(version), 0) FROM assessments_answer), "
        "(SELECT COUNT(*) FROM assessments_answerchange)"
    )
    if url.startswith("sqlite:"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute(query).fetchone()
    import psycopg

    with psycopg.connect(url) as db:
        return db.execute(query).fetchone()


def test_backup_during_writes_restores_into_a_new_database(databases, tmp_path):
    live, restored, restored_again = databases
    paliers(live, tmp_path, "migrate", "--no-input", "-v", "0")
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(stop)], env=environment(live, tmp_path), cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert writer.stdout.readline().strip() == "prêt", writer.stderr.read()
    time.sleep(1)
    during = tmp_path / "pendant.dump"
    out = paliers(live, tmp_path, "backup", str(during)).stdout
    assert "Sauvegarde écrite" in out
    time.sleep(1)  # the writer goes on after the backup...
    stop.touch()  # ...until told to stop
    stdout, stderr = writer.communicate(timeout=120)
    assert writer.returncode == 0, stderr
    acknowledged = int(stdout.split()[-1])

    paliers(restored, tmp_path, "restore", "--no-input", str(during))
    versions, changes = consistent(restored)
    assert 0 < changes < acknowledged  # taken mid-way, and consistent:
    assert versions == changes

    # Once the writes are over, a backup restored elsewhere holds exactly every row.
    after = tmp_path / "apres.dump"
    paliers(live, tmp_path, "backup", str(after))
    paliers(restored_again, tmp_path, "restore", "--no-input", str(after))
    source, copy = tables(live), tables(restored_again)
    assert consistent(live) == (acknowledged, acknowledged)
    assert set(copy) == set(source) and len(source) > 20
    for name in source:
        assert copy[name] == source[name], name


def test_backup_refuses_to_overwrite_and_restore_refuses_a_bad_file(databases, tmp_path):
    live = databases[0]
    paliers(live, tmp_path, "migrate", "--no-input", "-v", "0")
    existing = tmp_path / "deja.dump"
    existing.write_text("x")
    refused = subprocess.run(
        [sys.executable, "-m", "paliers.cli", "backup", str(existing)], env=environment(live, tmp_path),
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert refused.returncode == 1 and "existe déjà" in refused.stderr
    broken = subprocess.run(
        [sys.executable, "-m", "paliers.cli", "restore", "--no-input", str(existing)],
        env=environment(live, tmp_path), capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert broken.returncode == 1 and broken.stderr.strip()
    assert "django_migrations" in tables(live)  # untouched

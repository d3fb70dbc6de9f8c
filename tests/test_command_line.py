"""The `paliers` console script, run as a user runs it, honouring the environment."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.db import connection

PALIERS = str(Path(sys.executable).parent / "paliers")


def run(*args, env):
    return subprocess.run(
        [PALIERS, *args], env={**os.environ, **env}, capture_output=True, text=True, check=False, timeout=300
    )


def test_default_database_is_sqlite_in_wal_mode_under_the_var_directory(tmp_path):
    env = {"PALIERS_VAR_DIR": str(tmp_path)}
    env_without_url = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [PALIERS, "migrate", "--no-input", "-v", "0"],
        env={**env_without_url, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    database = tmp_path / "paliers.sqlite3"
    assert database.exists()
    assert sqlite3.connect(database).execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_database_url_is_honoured(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'autre.sqlite3'}", "PALIERS_VAR_DIR": str(tmp_path)}
    assert run("migrate", "--no-input", "-v", "0", env=env).returncode == 0
    loaded = run("load_frameworks", env=env)
    assert loaded.returncode == 0, loaded.stderr
    listing = run("list_frameworks", "--json", env=env)
    assert len(json.loads(listing.stdout)) == 5
    rows = sqlite3.connect(tmp_path / "autre.sqlite3").execute("SELECT count(*) FROM frameworks_framework")
    assert rows.fetchone() == (5,)


def test_a_failed_load_exits_non_zero_with_its_messages(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PALIERS_VAR_DIR": str(tmp_path)}
    run("migrate", "--no-input", "-v", "0", env=env)
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: x\n", encoding="utf-8")
    result = run("load_frameworks", str(bad), env=env)
    assert result.returncode != 0
    assert "clé obligatoire « title » absente" in result.stderr


def test_the_suite_runs_on_the_database_it_was_given():
    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_demo_commands_print_links_to_the_address_served():
    """`make demo DEMO_ADDRESS=…`: the demo commands (and the server's e-mails) name that
    address, the one a browser on this machine opens; SITE_DOMAIN, when given, wins."""
    repository = Path(__file__).resolve().parents[1]
    echo = "RUN=sh -c 'echo SITE=$$SITE_PROTOCOL://$$SITE_DOMAIN' --"  # what each command would see
    clean = {key: value for key, value in os.environ.items() if key not in ("SITE_DOMAIN", "SITE_PROTOCOL")}

    def sites(*args, **env):
        output = subprocess.run(
            ["make", "-s", "demo-data", echo, *args], cwd=repository, capture_output=True, text=True,
            env={**clean, **env}, check=True,
        ).stdout  # fmt: skip
        return set(output.split())

    assert sites("DEMO_ADDRESS=127.0.0.1:8123") == {"SITE=http://127.0.0.1:8123"}  # runserver: http
    assert sites("DEMO_ADDRESS=0.0.0.0:8124") == {"SITE=http://127.0.0.1:8124"}
    assert sites() == {"SITE=http://127.0.0.1:8000"}
    assert sites(SITE_DOMAIN="paliers.example.org", SITE_PROTOCOL="https") == {
        "SITE=https://paliers.example.org"
    }

"""Empty databases of the test run's engine, for tests that run the app in other processes
(backups, faults): SQLite files in a temporary folder, or fresh databases on the throw-away
PostgreSQL server of scripts/with-postgres.sh, dropped afterwards."""

import os
import uuid
from contextlib import contextmanager

from django.db import connection


@contextmanager
def scratch_databases(tmp_path, count):
    if connection.vendor == "sqlite":
        yield [f"sqlite:///{tmp_path}/base-{n}.sqlite3" for n in range(count)]
        return
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"paliers_scratch_{uuid.uuid4().hex[:8]}_{n}" for n in range(count)]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [f"{base}/{name}" for name in names]
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

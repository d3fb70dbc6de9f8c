"""Backups that are consistent while the application runs, and their restoration.

SQLite: the online backup API copies every page in one step, under a read transaction,
so the copy is one moment of the database even while others write (WAL lets them go on).
PostgreSQL: `pg_dump` reads one snapshot; its custom format is what `pg_restore` reads.
Both check what they produced or restored before saying it is done.
"""

import os
import shutil
import sqlite3
import subprocess
from glob import glob
from pathlib import Path

from django.db import connections


class BackupError(Exception):
    pass


def _vendor(alias):
    return connections[alias].vendor


def backup(destination, alias="default"):
    """Write a consistent copy of the database to `destination` (a file that must not exist)."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} existe déjà : choisissez un autre nom de fichier.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    if _vendor(alias) == "sqlite":
        connection = connections[alias]
        connection.ensure_connection()
        target = sqlite3.connect(destination)
        try:
            connection.connection.backup(target)  # pages=-1: all of it, in one step
            _check_sqlite(target, destination)
        finally:
            target.close()
    else:
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--file={destination}"], alias)  # fmt: skip
        # pg_restore --list reads the whole table of contents: a truncated file fails here.
        _run([_pg_tool("pg_restore"), "--list", str(destination)], alias, quiet=True)
    return destination


def restore(source, alias="default"):
    """Replace the database's content by the backup's. Stop the application first."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} : fichier introuvable.")
    if _vendor(alias) == "sqlite":
        with source.open("rb") as file:
            if file.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{source} n’est pas une sauvegarde SQLite : rien n’a été restauré.")
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            _check_sqlite(origin, source)
            if not origin.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone():
                raise BackupError(f"{source} n’est pas une sauvegarde de Paliers : rien n’a été restauré.")
            connection = connections[alias]
            connection.ensure_connection()
            origin.backup(connection.connection)
            _check_sqlite(connection.connection, "la base restaurée")
        finally:
            origin.close()
    else:
        name = connections[alias].settings_dict["NAME"]
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={name}", str(source)], alias)  # fmt: skip


def _check_sqlite(database, name):
    try:
        result = database.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{name} n’est pas une base SQLite lisible : {error}") from error
    if result != "ok":
        raise BackupError(f"{name} : contrôle d’intégrité en échec ({result}).")


def _pg_tool(name):
    """The client tool of the newest PostgreSQL installed (Debian keeps them per version)."""
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version)
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise BackupError(f"{name} introuvable : installez le paquet Debian postgresql-client.")
    return found


def _version(path):
    return [int(part) for part in Path(path).parts[-3].split(".") if part.isdigit()]


def _libpq_environment(alias):
    settings = connections[alias].settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                          ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):  # fmt: skip
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _run(command, alias, quiet=False):
    result = subprocess.run(  # noqa: S603 (our arguments, no shell)
        command, env=_libpq_environment(alias), capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BackupError(f"{Path(command[0]).name} a échoué : {result.stderr.strip()}")
    return "" if quiet else result.stdout

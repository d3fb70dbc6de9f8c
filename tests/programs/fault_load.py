"""Answers saved through the API by 20 heads while a fault strikes; then every acknowledged
save must be in the database, the database must pass its integrity check, and the app
must serve again without anyone stepping in.

Usage: python tests/programs/fault_load.py sigkill|pg-restart
  sigkill     SIGKILL to gunicorn's master and workers mid-load, then a new gunicorn;
  pg-restart  PostgreSQL restarted mid-load (needs PALIERS_PG_DATA and PALIERS_PG_BIN,
              which scripts/with-postgres.sh exports); the same gunicorn goes on.
DATABASE_URL names an empty database (a SQLite file, or a PostgreSQL database);
PALIERS_VAR_DIR a scratch folder. Prints what happened; exit status 0 when all holds.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paliers.settings")
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"

import django  # noqa: E402

django.setup()

from answer_load import build_world, check, free_port, run_phase, show, start_gunicorn  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

PAUSE = (0.1, 0.4)  # 20 heads at about 80 saves/s: many transactions under way at any moment


def kill_gunicorn(server):
    """SIGKILL to the master and every worker at once: no chance to finish anything."""
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def restart_postgres():
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    pg_ctl = str(Path(os.environ["PALIERS_PG_BIN"]) / "pg_ctl")
    data = Path(os.environ["PALIERS_PG_DATA"])
    # -l: the restarted server logs to a file; without it, it would keep our pipes open.
    subprocess.run(
        [*as_owner, pg_ctl, "-D", str(data), "-l", str(data.parent / "server.log"),
         "-m", "fast", "-w", "restart"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip


def integrity():
    """The database's own check: SQLite's integrity and foreign keys, or PostgreSQL's amcheck."""
    settings = connections["default"].settings_dict
    if connection.vendor == "sqlite":
        with sqlite3.connect(settings["NAME"]) as db:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
            orphans = db.execute("PRAGMA foreign_key_check").fetchall()
        return [] if result == "ok" and not orphans else [f"intégrité : {result}, clés : {orphans[:3]}"]
    env = {**os.environ, "PGHOST": settings["HOST"], "PGPORT": str(settings["PORT"])}
    env["PGUSER"] = settings["USER"]
    env["PGUSER"] = settings["USER"]
    amcheck = subprocess.run(
        [str(Path(os.environ["PALIERS_PG_BIN"]) / "pg_amcheck"), "--install-missing", "--heapallindexed",
         "-d", settings["NAME"]],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    return [] if amcheck.returncode == 0 else [f"pg_amcheck : {amcheck.stdout}{amcheck.stderr}"]


def main(fault):
    call_command("migrate", verbosity=0)
    heads, _ = build_world(20)
    connections.close_all()
    memories = {pk: {"state": None, "ledger": {}} for pk, _ in heads}
    log_path = Path(os.environ["PALIERS_VAR_DIR"], "gunicorn.log")
    port, servers = free_port(), []
    with log_path.open("w") as log:
        try:
            servers.append(start_gunicorn(port, log))
            show("mise en route", run_phase(servers[-1], port, heads, memories, PAUSE, 3))
            figures = {}
            load = threading.Thread(
                target=lambda: figures.update(run_phase(servers[0], port, heads, memories, PAUSE, 12))
            )
            load.start()
            time.sleep(4)
            if fault == "sigkill":
                kill_gunicorn(servers[0])
                print("SIGKILL envoyé à gunicorn (maître et processus)", flush=True)
                servers.append(start_gunicorn(port, log))
                print("gunicorn relancé", flush=True)
            else:
                restart_postgres()
                print("PostgreSQL redémarré", flush=True)
            load.join()
            show("pendant la panne", figures)
            # Recovered: a phase without a single error, with nobody having done anything.
            after = run_phase(servers[-1], port, heads, memories, PAUSE, 4)
            show("après", after)
        finally:
            for server in servers:
                if server.poll() is None:
                    server.terminate()
                    server.wait(10)
    problems = check(memories, "vérification")
    problems += integrity()
    if after["errors"] or after["saves_per_s"] == 0:
        problems.append(f"pas rétabli : {after['statuses']}")
    if figures["saves_per_s"] == 0:
        problems.append("aucun enregistrement pendant la charge")
    print("OK" if not problems else f"ÉCHEC : {problems}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

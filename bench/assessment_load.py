"""Benchmark: 100 heads saving answers at once through the API, served by gunicorn.

Builds a throw-away database (SQLite in a temporary folder; `--postgres`: a throw-away
PostgreSQL server, the script running itself again under scripts/with-postgres.sh),
loads one framework, creates an académie of 100 collèges, opens a campaign, gives each
collège a head with an API token, and starts gunicorn on 127.0.0.1. Then:
- load: after 5 s of warming up, 100 simulated heads (threads with http.client, one
  connection each, kept alive when the server allows) each save one answer every 0.5 to
  2 s with `PUT /api/v1/assessments/{id}/answers`, naming the version last seen (on 409:
  read again), for 60 s (`--seconds`); prints saves/s, latency p50/p95/p99, errors, and
  the CPU gunicorn used per request (the machine's other load shows in the latencies);
- check: every acknowledged save (200) is in the database: per criterion the last
  acknowledged value is the stored one and its version counts the acknowledged saves,
  and there are as many AnswerChange rows as acknowledged changes;
- ramp: shorter and shorter pauses, 15 s a step (`--step-seconds`), to find the highest
  rate sustained with p95 under 200 ms.
Only 127.0.0.1 traffic; it stops by itself, and stops gunicorn on the way out (Ctrl-C too).

Run: uv run python bench/assessment_load.py [--postgres] [--seconds 60] [--smoke]
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCHOOLS = 100
TARGET_P95 = 0.200


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL server")
    parser.add_argument("--seconds", type=float, default=60, help="length of the load phase")
    parser.add_argument("--step-seconds", type=float, default=15, help="length of each ramp step")
    parser.add_argument("--users", type=int, default=SCHOOLS)
    # Sync workers, 3 of them on 2 cores: one request per process, so the request that holds
    # SQLite's write lock is never paused for a sibling thread (the GIL), and a third process
    # keeps a core busy while another waits for the lock or the network. Sync workers do not
    # keep connections alive: behind a buffering proxy (nginx), as gunicorn advises for them.
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread only)")
    parser.add_argument("--smoke", action="store_true", help="5 heads, seconds not minutes (make test)")
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.step_seconds, args.users = 2, 1, 5
    return args


ARGS = arguments()
if ARGS.postgres and "PALIERS_BENCH_PG" not in os.environ:
    # Again, under a throw-away server that with-postgres.sh removes when we exit.
    os.environ["PALIERS_BENCH_PG"] = "1"
    script = str(ROOT / "scripts" / "with-postgres.sh")
    os.execv(script, [script, sys.executable, *sys.argv])  # noqa: S606 (our own script)

workdir = tempfile.mkdtemp(prefix="paliers-bench-")
if not ARGS.postgres:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ["PALIERS_VAR_DIR"] = workdir
os.environ["DJANGO_SETTINGS_MODULE"] = "paliers.settings"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
os.environ.pop("DEBUG", None)
Path(workdir, "static").mkdir()

if ARGS.postgres:
    # with-postgres.sh names a database it does not create.
    import psycopg

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as pg:
        if not pg.execute("SELECT 1 FROM pg_database WHERE datname = 'paliers'").fetchone():
            pg.execute("CREATE DATABASE paliers")

import django  # noqa: E402

django.setup()

from answer_load import build_world, check, free_port, run_phase, show, start_gunicorn, stop  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402


def main():
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    heads, criteria = build_world(SCHOOLS)
    heads = heads[: ARGS.users]
    connections.close_all()  # gunicorn's processes open their own
    memories = {pk: {"state": None, "ledger": {}} for pk, _ in heads}
    print(
        f"base de données : {connection.vendor}; {len(heads)} chefs d’établissement, {len(criteria)} critères"
    )
    print(
        f"gunicorn : {ARGS.workers} processus {ARGS.worker_class}"
        + (f" × {ARGS.threads} fils" if ARGS.worker_class == "gthread" else "")
        + f", {os.cpu_count()} cœurs"
    )
    log_path = Path(workdir, "gunicorn.log")
    server = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # finally runs: gunicorn stops too
    try:
        with log_path.open("w") as log:
            port = free_port()
            server = start_gunicorn(port, log, ARGS.workers, ARGS.worker_class, ARGS.threads)
            # Not timed: each worker's first requests (imports, URL resolver, schemas).
            show("mise en route (5 s)", run_phase(server, port, heads, memories, (0.5, 2.0), 5))
            figures = run_phase(server, port, heads, memories, (0.5, 2.0), ARGS.seconds)
            show(f"charge ({ARGS.seconds:.0f} s)", figures)
            problems = check(memories, "vérification")
            best = figures if figures["p95"] < TARGET_P95 and not figures["errors"] else None
            for factor in (1.25, 1.5, 1.75, 2, 2.5, 3, 4):
                pause = (0.5 / factor, 2.0 / factor)
                step = run_phase(server, port, heads, memories, pause, ARGS.step_seconds)
                show(f"palier ×{factor:g} ({ARGS.step_seconds:.0f} s)", step)
                if step["p95"] >= TARGET_P95 or step["errors"]:
                    break
                best = step
            problems += check(memories, "vérification finale")
            if best:
                print(f"débit soutenu avec p95 < 200 ms : {best['saves_per_s']:.1f} enregistrements/s")
    finally:
        stop(server)
        if server is not None and server.returncode not in (0, -signal.SIGTERM):
            print(log_path.read_text()[-3000:])
        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"durée totale : {time.monotonic() - started:.0f} s")
    if problems or figures["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrompu : gunicorn arrêté, base temporaire supprimée")

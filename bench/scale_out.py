"""Benchmark: the load of assessment_load.py against one, then two gunicorn processes
sharing one PostgreSQL (a throw-away server, scripts/with-postgres.sh).

100 heads save answers as fast as the server lets them (pauses of 20–80 ms), spread over
the processes in turn as a round-robin load balancer would. Prints the throughput with one
process, with two, and their ratio; then checks that every acknowledged save is stored.
On a 2-core machine the two processes share the same cores: the ratio says that a second
process adds no contention of its own (no lock, no shared state outside the database), not
what a second machine would add.

Run: uv run python bench/scale_out.py [--seconds 30] [--workers 2] [--smoke]
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
parser.add_argument("--seconds", type=float, default=30)
parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per process")
parser.add_argument("--smoke", action="store_true", help="2 s a phase, to check the script runs (make test)")
ARGS = parser.parse_args()
if ARGS.smoke:
    ARGS.seconds = 2
if "PALIERS_BENCH_PG" not in os.environ:
    os.environ["PALIERS_BENCH_PG"] = "1"
    script = str(ROOT / "scripts" / "with-postgres.sh")
    os.execv(script, [script, sys.executable, *sys.argv])  # noqa: S606 (our own script)

workdir = tempfile.mkdtemp(prefix="paliers-scale-")
os.environ.update(
    PALIERS_VAR_DIR=workdir, DJANGO_SETTINGS_MODULE="paliers.settings", ALLOWED_HOSTS="127.0.0.1"
)
os.environ.pop("DEBUG", None)

import psycopg  # noqa: E402

with psycopg.connect(os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", autocommit=True) as pg:
    pg.execute("CREATE DATABASE paliers")

import django  # noqa: E402

django.setup()

from answer_load import build_world, check, free_port, run_phase, show, start_gunicorn, stop  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

PAUSE = (0.02, 0.08)  # faster than the server: it, not the clients, sets the pace


def main():
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    heads, _ = build_world(100)
    connections.close_all()
    memories = {pk: {"state": None, "ledger": {}} for pk, _ in heads}
    servers, results = [], {}
    try:
        with Path(workdir, "gunicorn.log").open("w") as log:
            ports = []
            for count in (1, 2):
                ports.append(free_port())
                servers.append(start_gunicorn(ports[-1], log, workers=ARGS.workers))
                run_phase(list(servers), list(ports), heads, memories, PAUSE, 5)  # warm-up, not counted
                figures = run_phase(list(servers), list(ports), heads, memories, PAUSE, ARGS.seconds)
                show(f"{count} processus × {ARGS.workers} ({ARGS.seconds:.0f} s)", figures)
                results[count] = figures
        problems = check(memories, "vérification")
    finally:
        for server in servers:
            stop(server)
        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)
    ratio = results[2]["saves_per_s"] / results[1]["saves_per_s"]
    print(f"débit à 2 processus / débit à 1 processus : {ratio:.2f} ({os.cpu_count()} cœurs)")
    print(f"durée totale : {time.monotonic() - started:.0f} s")
    if problems or any(r["errors"] for r in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()

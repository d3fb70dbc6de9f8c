"""Benchmark: loading the shipped frameworks and showing the largest one.

Prints, for a fresh SQLite database (or DATABASE_URL if set):
- parse: reading and validating the five YAML files (the floor of a load);
- load: parse + writing them in one transaction (and the ratio to parse alone);
- reload: the idempotent no-op of loading them again;
- page: rendering the largest framework's public page, with its query count
  (constant whatever the framework's size).

Run: uv run python bench/frameworks.py [--smoke]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
parser.add_argument("--smoke", action="store_true", help="one round, to check the script runs (make test)")
ARGS = parser.parse_args()

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="paliers-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("PALIERS_VAR_DIR", workdir)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paliers.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"
Path(workdir, "static").mkdir()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from paliers.frameworks.loading import framework_files, load_specs, parse_files  # noqa: E402
from paliers.frameworks.models import Criterion, Framework  # noqa: E402

ROUNDS = 1 if ARGS.smoke else 10


def timed(function, rounds=ROUNDS):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def load_and_roll_back():
    with transaction.atomic():
        load_specs(parse_files(framework_files()))
        transaction.set_rollback(True)


def main():
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    files = framework_files()
    parse_ms = timed(lambda: parse_files(files))
    load_ms = timed(load_and_roll_back)
    load_specs(parse_files(files))
    reload_ms = timed(lambda: load_specs(parse_files(files)))
    largest = max(Framework.objects.all(), key=lambda f: f.criteria.count())
    client = Client()
    url = largest.get_absolute_url()
    assert client.get(url).status_code == 200
    page_ms = timed(lambda: client.get(url), rounds=2 * ROUNDS)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(f"database: {connection.vendor}")
    print(f"frameworks: {Framework.objects.count()}, criteria: {Criterion.objects.count()}")
    print(f"parse (floor)  {parse_ms:8.1f} ms")
    print(f"load           {load_ms:8.1f} ms   ratio to parse: {load_ms / parse_ms:.2f}")
    print(f"reload (no-op) {reload_ms:8.1f} ms   ratio to parse: {reload_ms / parse_ms:.2f}")
    print(
        f"page {largest.slug} ({largest.criteria.count()} criteria): {page_ms:6.1f} ms, "
        f"{len(queries)} queries"
    )


if __name__ == "__main__":
    main()

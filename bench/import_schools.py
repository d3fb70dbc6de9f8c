"""Benchmark: importing a national-size Annuaire de l'éducation (66,000 rows).

Generates an annuaire-format CSV (the 71 columns of the 2026 export, about 100
départements in 30 académies, circonscriptions, ZAP and bassins, a few UAIs on several
rows) in a temporary folder, then prints, for a fresh SQLite database (or DATABASE_URL
if set):
- parse: reading the CSV with the csv module alone (the floor of an import);
- first import: into the empty database (one transaction), and its ratio to parse;
- re-import: the same file again (nothing to write), and its ratio to parse;
- 1 % changed: the file again with 660 communes renamed;
- the peak memory of the process (ru_maxrss) after each step;
- then, on that national directory, the directory page as a national administrator and
  as an académie administrator (median of 10 requests, queries per page), against a
  floor: the same page's rows read with one raw SQL query.

Run: uv run python bench/import_schools.py [--rows 66000] [--smoke]
"""

import argparse
import atexit
import csv
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from paliers.schools.synthetic import ROWS

parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
parser.add_argument("--rows", type=int, default=ROWS, help="rows of the synthetic annuaire")
parser.add_argument("--smoke", action="store_true", help="600 rows, to check the script runs (make test)")
ARGS = parser.parse_args()
if ARGS.smoke:
    ARGS.rows = 600

workdir = tempfile.mkdtemp(prefix="paliers-bench-")
atexit.register(shutil.rmtree, workdir, ignore_errors=True)  # two 35 MB files and a database
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("PALIERS_VAR_DIR", workdir)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paliers.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from paliers.accounts.models import Role  # noqa: E402
from paliers.schools.importing import import_schools  # noqa: E402
from paliers.schools.models import Academy, Department, District, School  # noqa: E402
from paliers.schools.synthetic import rows  # noqa: E402

# The 71 columns of the 2026 export, from the real extract.
ANNUAIRE = Path(__file__).resolve().parents[2] / "shared" / "data" / "annuaire-val-de-marne-ecoles-2026.csv"
HEADER = ANNUAIRE.read_text(encoding="utf-8-sig").partition("\n")[0].strip().split(";")


def write(path, changed_path, rng):
    """The file, and a copy of it with 1 % of its communes renamed."""
    with (
        path.open("w", encoding="utf-8-sig", newline="") as file,
        changed_path.open("w", encoding="utf-8-sig", newline="") as changed_file,
    ):
        writer = csv.DictWriter(file, HEADER, delimiter=";", lineterminator="\r\n")
        changed = csv.DictWriter(changed_file, HEADER, delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        changed.writeheader()
        for row in rows(rng, HEADER, count=ARGS.rows):
            writer.writerow(row)
            if rng.random() < 0.01:
                row = dict(row, Nom_commune=row["Nom_commune"] + " (nouveau nom)")
            changed.writerow(row)


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def parse_only(path):
    with path.open(encoding="utf-8-sig", newline="") as file:
        return sum(1 for _ in csv.reader(file, delimiter=";"))


def main():
    call_command("migrate", verbosity=0)
    path, changed = Path(workdir) / "annuaire-national.csv", Path(workdir) / "annuaire-1pc-changed.csv"
    write(path, changed, random.Random(2026))  # noqa: S311 (a reproducible sample, not a secret)
    size_mb = path.stat().st_size / 2**20
    print(f"database: {connection.vendor}; file: {ARGS.rows:,} rows, {size_mb:.0f} MB")
    print(f"peak memory after generating the file: {peak_mb():.0f} MB")
    _, floor = timed(lambda: parse_only(path))
    print(f"parse with csv (floor)  {floor:6.2f} s")
    first, seconds = timed(lambda: import_schools(path))
    assert first.applied and not first.rejected, first.rejected[:5]
    print(
        f"first import            {seconds:6.2f} s   ratio to parse: {seconds / floor:5.1f}   "
        f"peak memory: {peak_mb():.0f} MB   ({first.created:,} created, {first.merged} merged rows, "
        f"{District.objects.count():,} districts)"
    )
    with CaptureQueriesContext(connection) as queries:
        again, seconds = timed(lambda: import_schools(path))
    assert again.unchanged == School.objects.count() and not again.created and not again.updated
    print(
        f"re-import (no change)   {seconds:6.2f} s   ratio to parse: {seconds / floor:5.1f}   "
        f"peak memory: {peak_mb():.0f} MB   ({len(queries)} queries)"
    )
    changes, seconds = timed(lambda: import_schools(changed))
    print(
        f"re-import (1 % changed) {seconds:6.2f} s   ratio to parse: {seconds / floor:5.1f}   "
        f"peak memory: {peak_mb():.0f} MB   ({changes.updated:,} updated)"
    )
    directory_pages()


def median_ms(function, rounds=10):
    times = []
    for _ in range(rounds):
        _, seconds = timed(function)
        times.append(seconds)
    return sorted(times)[rounds // 2] * 1000


class QueryCounter(list):
    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def directory_pages():
    """The directory page on the national directory: search, filters, a far page."""
    call_command("collectstatic", "--no-input", verbosity=0)
    User = get_user_model()
    national = User.objects.create_superuser("national", password="x" * 12)
    academy = Academy.objects.get(name="Créteil")
    local = User.objects.create_user("dan")
    local.memberships.create(role=Role.ACADEMY_ADMIN, academy=academy)
    department = Department.objects.filter(academy=academy).first()
    with connection.cursor() as cursor:
        floor = median_ms(
            lambda: (
                cursor.execute(
                    "SELECT uai, name, kind, commune FROM schools_school ORDER BY sort_name, uai LIMIT 50"
                )
                or cursor.fetchall()
            )
        )
    print(f"directory page floor (raw SQL: count, then 50 rows) {floor:6.2f} ms")
    cases = [
        ("national, no filter", national, {}),
        ("national, search 'jaures'", national, {"q": "jaures"}),
        ("national, collèges, page 40", national, {"kind": "college", "page": 40}),
        ("académie, no filter", local, {}),
        (f"académie, département {department.code}", local, {"department": department.pk}),
    ]
    for label, user, params in cases:
        client = Client()
        client.force_login(user)
        assert client.get("/annuaire/", params).status_code == 200
        queries = QueryCounter()
        with connection.execute_wrapper(queries):
            client.get("/annuaire/", params)
        ms = median_ms(lambda client=client, params=params: client.get("/annuaire/", params))
        print(f"directory page, {label:<32} {ms:7.1f} ms  ratio: {ms / floor:5.1f}  ({len(queries)} queries)")


if __name__ == "__main__":
    main()

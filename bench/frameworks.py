"""Benchmark: loading the shipped frameworks and showing the largest one.

Prints, for a fresh SQLite database (or DATABASE_URL if set):
- parse: reading and validating the five YAML files (the floor of a load);
- load: parse + writing them in one transaction (and the ratio to parse alone);
- reload: the idempotent no-op of loading them again;
- page: rendering the largest framework's public page, with its query count
  (constant whatever the framework's size);
- workbook: writing the largest framework as an XLSX workbook and reading it back as an
  upload is (archive checks, read-only cells, the same checker), beside parsing its YAML
  file (the floor); the same for a synthetic framework of 2,000 criteria (200 in --smoke),
  with the workbook's size;
- crosswalk: loading the shipped crosswalk and deriving the domains it makes comparable.

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

from paliers.frameworks.comparability import crosswalk_correspondences  # noqa: E402
from paliers.frameworks.crosswalk_loading import load_crosswalk_paths  # noqa: E402
from paliers.frameworks.loading import framework_files, load_specs, parse_files  # noqa: E402
from paliers.frameworks.models import Criterion, Crosswalk, Framework  # noqa: E402
from paliers.frameworks.spec import (  # noqa: E402
    ComponentSpec,
    CriterionSpec,
    DomainSpec,
    FrameworkSpec,
    LevelSpec,
    SourceSpec,
)
from paliers.frameworks.validation import parse_framework_file  # noqa: E402
from paliers.frameworks.workbook import framework_workbook  # noqa: E402
from paliers.frameworks.workbook_reading import read_framework_workbook  # noqa: E402

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


SENTENCE = "une phrase d’une longueur ordinaire pour un référentiel, avec ses précisions."
NOTE = "Une note de bas de page."


def _criterion(code, n):
    return CriterionSpec(code, 1 + n % 3, f"Critère {n} : {SENTENCE}", NOTE if n % 4 == 0 else "")


def synthetic(criteria):
    """A framework of about `criteria` criteria: 10 domains of 10 components, 3 levels."""
    per_component = max(1, criteria // 100)
    domains = tuple(
        DomainSpec(
            code=f"D{d}",
            title=f"Domaine {d}",
            components=tuple(
                ComponentSpec(
                    code=f"D{d}.C{c}",
                    title=f"Composante {c} du domaine {d}",
                    criteria=tuple(
                        _criterion(f"D{d}.C{c}.{n}", n) for n in range(per_component)
                    ),
                )
                for c in range(10)
            ),
        )
        for d in range(10)
    )  # fmt: skip
    return FrameworkSpec(
        slug="synthetique", version="1", title="Référentiel synthétique", audience="etablissement",
        source=SourceSpec("Banc d’essai", "bench/frameworks.py"), level_name="palier",
        levels=tuple(LevelSpec(n, f"Palier {n}") for n in (1, 2, 3)), domains=domains,
    )  # fmt: skip


def workbook_figures(files):
    largest_file = max(files, key=lambda f: len(parse_framework_file(f).all_criteria()))
    spec = parse_framework_file(largest_file)
    yaml_ms = timed(lambda: parse_framework_file(largest_file))
    content = framework_workbook(spec)
    write_ms = timed(lambda: framework_workbook(spec))
    read_ms = timed(lambda: read_framework_workbook(content))
    assert read_framework_workbook(content) == (spec, None)
    print(f"workbook {spec.key} ({len(spec.all_criteria())} criteria, {len(content) / 1024:.0f} kB):")
    print(f"  parse its YAML (floor) {yaml_ms:8.1f} ms")
    print(f"  write workbook         {write_ms:8.1f} ms   ratio to the floor: {write_ms / yaml_ms:.1f}")
    print(f"  read back (upload)     {read_ms:8.1f} ms   ratio to the floor: {read_ms / yaml_ms:.1f}")
    big = synthetic(200 if ARGS.smoke else 2000)
    content = framework_workbook(big)
    rounds = 1 if ARGS.smoke else 3
    write_ms = timed(lambda: framework_workbook(big), rounds=rounds)
    read_ms = timed(lambda: read_framework_workbook(content), rounds=rounds)
    assert read_framework_workbook(content) == (big, None)
    print(f"workbook synthetic ({len(big.all_criteria())} criteria, {len(content) / 1024:.0f} kB):")
    print(f"  write {write_ms:8.1f} ms, read back {read_ms:8.1f} ms")


def crosswalk_figures():
    load_ms = timed(lambda: load_crosswalk_paths(), rounds=1)  # created; then unchanged each time
    again_ms = timed(lambda: load_crosswalk_paths())
    crosswalk = Crosswalk.objects.get()
    compare_ms = timed(lambda: crosswalk_correspondences(crosswalk))
    print(
        f"crosswalk ({crosswalk.links.count()} links): load {load_ms:.1f} ms, load again (no-op) "
        f"{again_ms:.1f} ms, comparable domains {compare_ms:.1f} ms"
    )


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
    workbook_figures(files)
    crosswalk_figures()


if __name__ == "__main__":
    main()

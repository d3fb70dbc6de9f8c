"""What the national-scale benchmarks share (caseload.py, observatory.py, freeze.py): their
options, a throw-away database — SQLite in a temporary folder, or with `--postgres` a
throw-away PostgreSQL server, the script running itself again under scripts/with-postgres.sh
— with Django set up on it, and that database filled by `generate_national`. Call
`start(__doc__)` before importing anything of Django's."""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def arguments(doc):
    parser = argparse.ArgumentParser(description=doc.partition("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL server")
    parser.add_argument("--rounds", type=int, default=10, help="requests per page (median)")
    parser.add_argument("--rows", type=int, default=66_000, help="rows of the synthetic annuaire")
    parser.add_argument("--smoke", action="store_true", help="600 rows, one round (make test)")
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.rounds = 600, 1
    return args


def start(doc):
    """(the options, the temporary folder): Django set up on an empty database."""
    args = arguments(doc)
    if args.postgres and "PALIERS_BENCH_PG" not in os.environ:
        # Again, under a throw-away server that with-postgres.sh removes when we exit.
        os.environ["PALIERS_BENCH_PG"] = "1"
        script = str(ROOT / "scripts" / "with-postgres.sh")
        os.execv(script, [script, sys.executable, *sys.argv])  # noqa: S606 (our own script)
    sys.path.insert(0, str(ROOT))
    workdir = tempfile.mkdtemp(prefix="paliers-bench-")
    if not args.postgres:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["PALIERS_VAR_DIR"] = workdir
    os.makedirs(f"{workdir}/static")  # pages are measured, not static files: an empty folder
    os.environ["DJANGO_SETTINGS_MODULE"] = "paliers.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.pop("DEBUG", None)
    if args.postgres:
        import psycopg

        url = os.environ["DATABASE_URL"]  # with-postgres.sh names a database it does not create
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as pg:
            if not pg.execute("SELECT 1 FROM pg_database WHERE datname = 'paliers'").fetchone():
                pg.execute("CREATE DATABASE paliers")

    import django

    django.setup()
    from django.conf import settings

    # Pages are measured, not their static files: no manifest to collect.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return args, workdir


def national_dataset(rows):
    """The database migrated and filled by `generate_national`, as each script prints it."""
    import time

    from django.core.management import call_command
    from django.db import connection

    from paliers.observatory.national import generate_national

    print(f"base de données : {connection.vendor}")
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    result = generate_national(progress=lambda message: print(f"  {message}"), rows_count=rows)
    print(
        f"generate_national : {time.perf_counter() - start:.1f} s — {result.schools:,} écoles, "
        f"{result.campaigns} campagnes, {result.assessments:,} positionnements, {result.answers:,} réponses"
    )
    return result


def median_ms(function, rounds, warm_up=True, after=None):
    """The median time of `function` over `rounds` calls, in ms (after one call to warm up,
    unless `warm_up` is false); `after` undoes each call, untimed (a freeze, say)."""
    import statistics
    import time

    if warm_up:
        function()
        if after:
            after()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
        if after:
            after()
    return statistics.median(times) * 1000


def raw(sql, params):
    """The rows of one raw SQL query: the benchmarks' floors."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def run(main, workdir):
    try:
        main()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

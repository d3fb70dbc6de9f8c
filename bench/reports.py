"""Benchmark: PDF reports, one and an académie's ZIP of them built by worker processes; the
spreadsheet and CSV exports.

A throw-away database with one district of N collèges (2,700 by default, the size of the
académie of Créteil) and their NumEA campaign (bench/report_world.py). Prints:
- one PDF report: the first of the process (fonts and stylesheet parsed), then the median
  of 10 (target: under 0.5 s); the floor is building the same HTML (queries, scoring,
  charts, template) without WeasyPrint;
- the ZIP of the N reports and the scope summary, as a request queues it, built by 1 and
  then by 2 real `paliers db_worker` processes: total time from the request to the ZIP,
  reports per second, each worker's peak memory (`VmHWM`), and the ratio of the two times
  (target: at least 1.8 on 2 cores; the batch under 15 minutes with 2 workers);
- the workbook export, its import check, and the two CSV exports of the scope.

The machine's load average is printed with the figures: other processes on the same cores
make a ratio between 1 and 2 workers meaningless.

Run: uv run python bench/reports.py [--schools 2700] [--workers 1,2]
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="paliers-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("PALIERS_VAR_DIR", workdir)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paliers.settings")
Path(os.environ["PALIERS_VAR_DIR"], "static").mkdir(exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from report_world import build_world  # noqa: E402

from paliers.core.csv import csv_lines  # noqa: E402
from paliers.reports.assessment_report import assessment_report_pdf, report_context  # noqa: E402
from paliers.reports.batches import request_batch  # noqa: E402
from paliers.reports.csv_export import criterion_rows, domain_rows  # noqa: E402
from paliers.reports.models import ReportBatch  # noqa: E402
from paliers.reports.scope import scope_assessments  # noqa: E402
from paliers.reports.tasks import enqueue_groups  # noqa: E402
from paliers.reports.xlsx_export import assessment_workbook  # noqa: E402
from paliers.reports.xlsx_import import plan_import  # noqa: E402
from paliers.workers.models import WorkerProcess  # noqa: E402

PALIERS = str(Path(sys.executable).parent / "paliers")


def reset_peak():
    """Start a new high-water mark of resident memory (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_mb(pid="self"):
    """The resident memory's high-water mark (since the last reset_peak()), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load():
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def timed(function, rounds):
    return timed_both(function, rounds)[0]


def timed_both(function, rounds):
    """Median wall time and median CPU time of the process: on a shared machine the CPU
    time says what the work costs, the wall time what the user waits."""
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def one_report(assessment, animator, rounds):
    def html():
        return render_to_string("reports/pdf/assessment.html", report_context(assessment, animator))

    reset_peak()
    start = time.perf_counter()
    pdf = assessment_report_pdf(assessment, animator)
    first = time.perf_counter() - start
    first_peak = peak_mb()
    floor = timed(html, rounds)
    one, one_cpu = timed_both(lambda: assessment_report_pdf(assessment, animator), rounds)
    print(f"report HTML without WeasyPrint (floor): {floor * 1000:7.0f} ms")
    print(f"one PDF report, first of the process:   {first * 1000:7.0f} ms; peak {first_peak:.0f} MB")
    print(
        f"one PDF report, median of {rounds}:          {one * 1000:7.0f} ms (CPU {one_cpu * 1000:.0f} ms)"
        f"   ratio to the floor {one / floor:.0f}; {len(pdf) / 1024:.0f} kB; peak {peak_mb():.0f} MB"
        f"   [{'under' if one < 0.5 else 'OVER'} the 0.5 s target]"
    )


def start_workers(count, tag):
    env = {**os.environ}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    options = ["--no-reload", "--no-startup-delay", "--interval", "0.2"]
    processes = []
    for n in range(count):
        with Path(os.environ["PALIERS_VAR_DIR"], f"worker-{tag}-{n}.log").open("w") as log:
            command = [PALIERS, "db_worker", *options, "--worker-id", f"bench-{tag}-{n}"]
            worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
            processes.append(worker)
    return processes


def batch_with_workers(campaign, user, count):
    """Request the ZIP as the page does, let `count` workers build it; the figures."""
    ReportBatch.objects.all().delete()
    workers = start_workers(count, count)
    # Started and waiting for work, as in a deployment: their start is not the batch's time.
    deadline = time.monotonic() + 120
    while WorkerProcess.objects.filter(worker_id__startswith=f"bench-{count}-").count() < count:
        assert time.monotonic() < deadline and all(p.poll() is None for p in workers), "workers not started"
        time.sleep(0.2)
    peaks = [0.0] * count
    loads = []
    start = time.perf_counter()
    batch = request_batch(user, campaign, enqueue_groups)  # autocommit: queued at once
    connections.close_all()
    try:
        while True:
            state = ReportBatch.objects.values_list("state", flat=True).get(pk=batch.pk)
            if state in {"termine", "echec"}:
                break
            for n, process in enumerate(workers):
                peaks[n] = max(peaks[n], peak_mb(process.pid) or 0)
                assert process.poll() is None, f"le processus de travail {n} s’est arrêté"
            loads.append(os.getloadavg()[0])
            time.sleep(0.5)
        elapsed = time.perf_counter() - start
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(120)
    batch.refresh_from_db()
    assert batch.state == "termine", batch.error
    reports = batch.total - 1
    print(
        f"ZIP of {reports} reports + summary, {count} worker(s): {elapsed:7.1f} s "
        f"({reports / elapsed:.2f} reports/s), {batch.size / 1024 / 1024:.1f} MB; "
        f"peak memory per worker {', '.join(f'{p:.0f}' for p in peaks)} MB; "
        f"load average during the run {statistics.mean(loads) if loads else 0:.1f}"
    )
    return elapsed


def exports(campaign, animator, assessment, rounds):
    reset_peak()
    content = assessment_workbook(assessment)
    export = timed(lambda: assessment_workbook(assessment), rounds)
    check = timed(lambda: plan_import(assessment, content), rounds)
    print(
        f"workbook export: {export * 1000:.0f} ms ({len(content) / 1024:.0f} kB); "
        f"import check: {check * 1000:.0f} ms; peak {peak_mb():.0f} MB"
    )
    for name, rows_for in (("school × domain", domain_rows), ("school × criterion", criterion_rows)):
        reset_peak()
        start = time.perf_counter()
        header, rows = rows_for(campaign, scope_assessments(animator, campaign))
        size = sum(len(line.encode()) for line in csv_lines(header, rows))
        print(
            f"CSV {name}: {time.perf_counter() - start:.2f} s, {size / 1024:.0f} kB; peak {peak_mb():.0f} MB"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=2700)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--workers", default="1,2", help="worker counts to try, e.g. 1,2")
    parser.add_argument("--smoke", action="store_true", help="a tiny size (make test)")
    options = parser.parse_args()
    if options.smoke:
        options.schools, options.rounds = 3, 1
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    start = time.perf_counter()
    campaign, animator, assessment = build_world(options.schools)
    print(f"database: {connection.vendor}; {options.schools} collèges, NumEA 2020 (63 criteria)")
    print(
        f"world built in {time.perf_counter() - start:.1f} s; load average {load()} on {os.cpu_count()} cores"
    )

    one_report(assessment, animator, options.rounds)
    times = {}
    for count in [int(n) for n in options.workers.split(",")]:
        times[count] = batch_with_workers(campaign, animator, count)
    if 1 in times and 2 in times:
        print(
            f"ratio 2 workers / 1 worker: {times[1] / times[2]:.2f} (target ≥ 1.8); with 2 workers, "
            f"{times[2] / 60:.1f} min for {options.schools} schools (target < 15 min at 2,700)"
        )
    exports(campaign, animator, assessment, options.rounds)
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()

"""Benchmark: PDF reports, one and a scope's ZIP of them; the spreadsheet and CSV exports.

A throw-away database with one district of N collèges (500 by default) and their NumEA
campaign (21 items × 3 étapes = 63 criteria), answers drawn with a fixed seed (two thirds
of the schools submitted), comments on some criteria, and SMART objectives for the first
school. Prints:
- one PDF report: the first (fonts and stylesheet parsed), then the median of 10; the
  floor is building the same HTML (queries, scoring, charts, template) without WeasyPrint;
- the ZIP of the N reports and the scope summary, built as the background job builds it
  (`jobs.run`), with its size and the process's peak memory (`ru_maxrss`);
- the workbook export, its import check (read back, validated, compared), and the two CSV
  exports of the scope.

Peak memory is the process's resident high-water mark during each step (reset before it
through /proc/self/clear_refs), so it includes what the process held already (Django,
WeasyPrint and the fonts: the first figure).

Run: uv run python bench/reports.py [--schools 500]
"""

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="paliers-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
os.environ.setdefault("PALIERS_VAR_DIR", workdir)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paliers.settings")
os.environ["REPORT_JOBS_IN_WEB_PROCESS"] = "0"
Path(workdir, "static").mkdir()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402

from paliers.accounts.models import Membership, Role, User  # noqa: E402
from paliers.assessments import aggregates  # noqa: E402
from paliers.assessments.campaigns import open_campaign  # noqa: E402
from paliers.assessments.models import Answer, AnswerValue, Assessment, AssessmentStatus  # noqa: E402
from paliers.core.csv import csv_lines  # noqa: E402
from paliers.frameworks.loading import framework_files, load_specs, parse_files  # noqa: E402
from paliers.objectives.models import Checkpoint, Objective  # noqa: E402
from paliers.reports import jobs  # noqa: E402
from paliers.reports.assessment_report import assessment_report_pdf, report_context  # noqa: E402
from paliers.reports.csv_export import criterion_rows, domain_rows  # noqa: E402
from paliers.reports.models import ReportJob  # noqa: E402
from paliers.reports.scope import scope_assessments  # noqa: E402
from paliers.reports.xlsx_export import assessment_workbook  # noqa: E402
from paliers.reports.xlsx_import import plan_import  # noqa: E402
from paliers.schools.models import Academy, Department, District, DistrictKind, School, SchoolKind  # noqa: E402
from paliers.schools.uai import make_uai  # noqa: E402

COMMENTS = [
    "Voté en conseil d’administration : « oui » à l’unanimité.",
    "En cours de déploiement ; bilan prévu au troisième trimestre.",
    "Référente désignée, formation prévue en janvier.",
]


def reset_peak():
    """Start a new high-water mark of resident memory (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_mb():
    """The resident memory's high-water mark since the last reset_peak(), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def build_world(count):
    [numea] = [
        r.framework
        for r in load_specs(parse_files(framework_files()))
        if r.spec.slug == "numea-etablissement"
    ]
    academy = Academy.objects.create(code="24", name="Créteil")
    department = Department.objects.create(code="094", name="Val-de-Marne", academy=academy)
    district = District.objects.create(
        department=department, kind=DistrictKind.BASSIN, code="b", name="Bassin"
    )
    School.objects.bulk_create(
        School(
            uai=make_uai(f"094{n:04d}"),
            name=f"Collège n° {n} Émile Zola",
            sort_name=f"college {n:05d}",
            kind=SchoolKind.COLLEGE,
            department=department,
            commune="Créteil",
        )
        for n in range(count)
    )
    schools = list(School.objects.order_by("pk"))
    School.districts.through.objects.bulk_create(
        School.districts.through(school_id=s.pk, district_id=district.pk) for s in schools
    )
    admin = User.objects.create_user("dan")
    Membership.objects.create(user=admin, role=Role.ACADEMY_ADMIN, academy=academy)
    animator = User.objects.create_user("animateur")
    Membership.objects.create(user=animator, role=Role.ANIMATOR, district=district)
    campaign = open_campaign(
        framework=numea, school_year="2025-2026", academy=academy, school_group="etablissements",
        opens_on=date(2025, 9, 1), closes_on=date(2026, 6, 30), user=admin,
    )  # fmt: skip
    criteria = list(numea.criteria.select_related("level").order_by("position"))
    rng = random.Random(6)  # noqa: S311 (plausible data, not secrets)
    rows = []
    for assessment in campaign.assessments.all():
        reach = rng.uniform(0.3, 1.0)
        for criterion in criteria:
            odds = reach / criterion.level.number
            value = rng.choices(
                [AnswerValue.MET, AnswerValue.IN_PROGRESS, AnswerValue.NOT_MET, AnswerValue.NOT_ANSWERED],
                [odds, 0.2, 0.6 - odds / 2, 0.1],
            )[0]
            comment = rng.choice(COMMENTS) if rng.random() < 0.2 else ""
            rows.append(
                Answer(assessment=assessment, criterion=criterion, value=value, comment=comment, version=1)
            )
    Answer.objects.bulk_create(rows, batch_size=2000)
    for assessment in campaign.assessments.all():
        submitted = rng.random() < 2 / 3
        Assessment.objects.filter(pk=assessment.pk).update(
            answered_count=sum(
                1 for r in rows if r.assessment_id == assessment.pk and r.value != "non_renseigne"
            ),
            status=AssessmentStatus.SUBMITTED if submitted else AssessmentStatus.DRAFT,
        )
    aggregates.rebuild([campaign])
    first = schools[0]
    for n, domain in enumerate(numea.domains.order_by("position")):
        goal = Objective.objects.create(
            school=first, framework=numea, domain=domain, level=numea.levels.get(number=2),
            title=f"Objectif SMART n° {n + 1} : engager l’équipe", description="Deux réunions ; un bilan.",
            is_draft=False, due_on=date(2026, 5, 1 + n), pilot_name="Mme Élise Dupré",
        )  # fmt: skip
        Checkpoint.objects.create(objective=goal, date=date(2026, 1, 10), state="en_cours")
    return (
        campaign,
        animator,
        campaign.assessments.select_related("school", "campaign__framework").get(school=first),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="a tiny size (make test)")
    options = parser.parse_args()
    if options.smoke:
        options.schools, options.rounds = 3, 1
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    start = time.perf_counter()
    campaign, animator, assessment = build_world(options.schools)
    print(f"database: {connection.vendor}; {options.schools} collèges, NumEA 2020 (63 criteria)")
    print(f"world built in {time.perf_counter() - start:.1f} s")

    def html():
        return render_to_string("reports/pdf/assessment.html", report_context(assessment, animator))

    reset_peak()
    start = time.perf_counter()
    pdf = assessment_report_pdf(assessment, animator)
    first = time.perf_counter() - start
    first_peak = peak_mb()
    floor = timed(html, options.rounds)
    one, one_cpu = timed_both(lambda: assessment_report_pdf(assessment, animator), options.rounds)
    print(f"report HTML without WeasyPrint (floor): {floor * 1000:7.0f} ms")
    print(f"one PDF report, first of the process:   {first * 1000:7.0f} ms; peak {first_peak:.0f} MB")
    print(
        f"one PDF report, median of {options.rounds}:          {one * 1000:7.0f} ms "
        f"(CPU {one_cpu * 1000:.0f} ms)"
        f"   ratio to the floor {one / floor:.0f}; {len(pdf) / 1024:.0f} kB; peak {peak_mb():.0f} MB"
    )

    job = ReportJob.objects.create(campaign=campaign, requested_by=animator)
    reset_peak()
    start, cpu = time.perf_counter(), time.process_time()
    assert jobs.run(job.pk, "bench")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    job.refresh_from_db()
    assert job.state == "termine", job.error
    print(
        f"ZIP of {job.total} reports + summary: {elapsed:7.1f} s "
        f"(CPU {cpu:.1f} s; {elapsed / job.total * 1000:.0f} ms a report), "
        f"{job.size / 1024 / 1024:.1f} MB in {job.chunks.count()} chunks; peak {peak_mb():.0f} MB"
    )

    reset_peak()
    content = assessment_workbook(assessment)
    export = timed(lambda: assessment_workbook(assessment), options.rounds)
    check = timed(lambda: plan_import(assessment, content), options.rounds)
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


if __name__ == "__main__":
    main()

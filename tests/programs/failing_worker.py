"""`paliers db_worker` whose rendering of one school's report fails, as a missing font or a
full disk would make it fail: the worker process of report_batch.py's failure scenario.

Usage: python tests/programs/failing_worker.py db_worker [options] — the arguments of
`paliers`."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paliers.settings")

import django

django.setup()

from django.core.management import execute_from_command_line  # noqa: E402

from paliers.reports import batches  # noqa: E402

render = batches.assessment_report_pdf
FAILING_SCHOOL = 3  # the third school of the batch, by rank in the ZIP


def failing_report(assessment, viewer, **options):
    rank = assessment.school.uai
    if rank == sorted_uais()[FAILING_SCHOOL - 1]:
        raise OSError("Plus de place sur le disque")
    return render(assessment, viewer, **options)


def sorted_uais():
    from paliers.schools.models import School

    return list(School.objects.order_by("sort_name", "uai").values_list("uai", flat=True))


batches.assessment_report_pdf = failing_report
execute_from_command_line(["paliers", *sys.argv[1:]])

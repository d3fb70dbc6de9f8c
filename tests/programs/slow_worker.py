"""`paliers db_worker` whose reports take a minute each: the worker of report_batch.py that
is told twice to stop while it holds a task (its task must go back to the queue).

Usage: python tests/programs/slow_worker.py db_worker [options] — the arguments of
`paliers`."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paliers.settings")

import django

django.setup()

from django.core.management import execute_from_command_line  # noqa: E402

from paliers.reports import batches  # noqa: E402

render = batches.assessment_report_pdf


def slow_report(assessment, viewer, **options):
    time.sleep(60)
    return render(assessment, viewer, **options)


batches.assessment_report_pdf = slow_report
execute_from_command_line(["paliers", *sys.argv[1:]])

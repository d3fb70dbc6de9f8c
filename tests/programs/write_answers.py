"""Keep saving answers for a while, as the app would: run by the backup and fault tests.

Usage: python tests/programs/write_answers.py STOP_FILE   (DATABASE_URL names a migrated database)
Builds a small académie on first run, prints « prêt », then saves answers in a loop until
STOP_FILE exists (at most 5 minutes) and prints the number of acknowledged saves (each a
committed transaction).
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

from paliers.core.calendar import school_year

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paliers.settings")

import django

django.setup()

from paliers.accounts.models import Membership, Role, User  # noqa: E402
from paliers.assessments.answering import save_answer  # noqa: E402
from paliers.assessments.campaigns import open_campaign  # noqa: E402
from paliers.assessments.models import Answer, Assessment, SchoolGroup  # noqa: E402
from paliers.frameworks.loading import framework_files, load_specs, parse_files  # noqa: E402
from paliers.frameworks.models import Framework  # noqa: E402
from paliers.schools.models import Academy, Department, School, SchoolKind  # noqa: E402
from paliers.schools.uai import make_uai  # noqa: E402

VALUES = ("non_atteint", "en_cours", "atteint")


# The current school year's campaign, so that it is open whenever this runs (after its
# closing date a campaign is read-only: the campaign life cycle).
YEAR = school_year(date.today())
OPENS, CLOSES = date(int(YEAR[:4]), 9, 1), date(int(YEAR[:4]) + 1, 6, 30)


def world():
    if not Framework.objects.filter(slug="creteil-etablissements").exists():
        files = [f for f in framework_files() if f.name.startswith("creteil-etablissements-2014")]
        load_specs(parse_files(files))
        academy = Academy.objects.create(code="24", name="Créteil")
        department = Department.objects.create(code="094", name="Val-de-Marne", academy=academy)
        for n in range(3):
            school = School.objects.create(
                uai=make_uai(f"094{n:04d}"),
                name=f"Collège n° {n}",
                kind=SchoolKind.COLLEGE,
                department=department,
            )
            head = User.objects.create_user(f"principal-{n}", password=None)
            Membership.objects.create(user=head, role=Role.SCHOOL_HEAD, school=school)
        open_campaign(
            framework=Framework.objects.get(slug="creteil-etablissements"), school_year=YEAR,
            academy=academy, school_group=SchoolGroup.ETABLISSEMENTS, opens_on=OPENS,
            closes_on=CLOSES, user=None,
        )  # fmt: skip
    assessments = list(Assessment.objects.select_related("campaign__framework", "school").order_by("pk"))
    heads = {m.school_id: m.user for m in Membership.objects.select_related("user")}
    criteria = list(assessments[0].campaign.framework.criteria.order_by("position"))
    return assessments, heads, criteria


def main(stop):
    assessments, heads, criteria = world()
    print("prêt", flush=True)
    acknowledged, n, deadline = 0, 0, time.monotonic() + 300
    while not stop.exists() and time.monotonic() < deadline:
        assessment = assessments[n % len(assessments)]
        criterion = criteria[(n // len(assessments)) % len(criteria)]
        current = Answer.objects.filter(assessment=assessment, criterion=criterion).first()
        value = (
            VALUES[(VALUES.index(current.value) + 1) % 3]
            if current and current.value in VALUES
            else VALUES[0]
        )
        save_answer(
            assessment, criterion, value=value, comment="", evidence_url="",
            seen_version=current.version if current else 0, user=heads[assessment.school_id],
        )  # fmt: skip
        acknowledged += 1
        n += 1
    print(acknowledged, flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

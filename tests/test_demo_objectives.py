"""The demonstration objectives: every state, at the demonstration logins' schools, once."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction

from paliers.objectives.demo import COLLEGE, create_demo_objectives
from paliers.objectives.models import Objective
from paliers.objectives.steering import timetable
from paliers.schools.demo import demo_school
from paliers.schools.models import SchoolKind

TODAY = "2026-11-23 10:00 +0100"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic(), time_machine.travel(TODAY, tick=False):
        call_command("demo_accounts", stdout=StringIO())
        call_command("load_frameworks", stdout=StringIO())
        yield create_demo_objectives()
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo", "db")
class TestDemoObjectives:
    def test_every_state_at_the_demo_college(self):
        from datetime import date

        today = date(2026, 11, 23)
        college = demo_school(SchoolKind.COLLEGE)
        objectives = list(Objective.objects.filter(school=college).prefetch_related("checkpoints"))
        assert len(objectives) == len(COLLEGE)
        for status in (
            "brouillon",
            "engage",
            "non_engage",
            "en_cours",
            "acheve",
            "atteint",
            "non_atteint",
            "retard",
        ):
            assert timetable(objectives, status=status, today=today), status
        piloted = {o.pilot.username for o in objectives if o.pilot}
        assert piloted == {"referent", "membre"}
        assert all(o.criteria.exists() for o in objectives)

    def test_other_schools_have_objectives_too(self, demo):
        count, created = demo
        schools = Objective.objects.values("school").distinct().count()
        assert created and count == Objective.objects.count() and schools >= 20

    def test_running_again_changes_nothing(self):
        before = sorted(Objective.objects.values_list("pk", "title", "due_on"))
        out = StringIO()
        call_command("demo_objectives", stdout=out)
        assert "rien n’a été modifié" in out.getvalue()
        assert sorted(Objective.objects.values_list("pk", "title", "due_on")) == before

"""The demonstration accompaniment: requests in every state, records, a plan over several
school years, created once (a second run changes nothing)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from paliers.accompaniment.demo import PLANS, create_demo_accompaniment, demo_ecoles
from paliers.accompaniment.models import AccompanimentRecord, PlanAction, RequestStatus, SupportRequest
from paliers.core.calendar import school_year
from paliers.schools.demo import demo_district

TABLES = (SupportRequest, AccompanimentRecord, PlanAction)


def rows():
    return {
        model.__name__: sorted(model.objects.values_list(flat=False).order_by("pk"), key=repr)
        for model in TABLES
    }


@pytest.fixture
def demo(db):
    call_command("demo_accounts", stdout=StringIO())
    out = StringIO()
    call_command("demo_accompaniment", stdout=out)
    return out.getvalue()


def test_command_is_idempotent_and_says_what_exists(demo):
    assert demo.startswith("Accompagnement de démonstration créé :")
    assert "Pas de compte animateur" not in demo
    before = rows()
    out = StringIO()
    call_command("demo_accompaniment", stdout=out)
    again = out.getvalue()
    assert again.startswith("Accompagnement de démonstration déjà présent, rien n’a été modifié :")
    assert demo.splitlines()[1:] == again.splitlines()[1:]
    assert rows() == before
    assert not create_demo_accompaniment().created


def test_what_the_demonstration_shows(demo):
    ecoles = demo_ecoles()
    assert len(ecoles) == len(PLANS) and all(demo_district() in e.districts.all() for e in ecoles)
    first = ecoles[0]
    assert set(first.support_requests.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(first.support_requests.values_list("created_by__username", flat=True)) == {"directeur"}
    today = timezone.localdate()
    # Three school years around the current one, whatever the day of the demonstration.
    assert {a.year for a in first.plan_actions.all()} == {school_year(today, shift) for shift in (-1, 0, 1)}
    records = AccompanimentRecord.objects.filter(school__in=ecoles)
    assert set(records.values_list("recorded_by__username", flat=True)) == {"animateur"}
    assert len(set(records.values_list("kind", flat=True))) == 4  # every kind
    today = timezone.localdate()
    assert all(r.date <= today for r in records) and all(
        s.created_at <= timezone.now() for s in SupportRequest.objects.all()
    )
    taken = SupportRequest.objects.exclude(status=RequestStatus.OPEN)
    assert all(s.records.exists() and s.taken_by.username == "animateur" for s in taken)
    assert {s.domain.framework.slug for s in SupportRequest.objects.all()} == {"creteil-ecoles"}


def test_the_demonstration_animator_sees_it(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="animateur"))
    listing = client.get(reverse("accompaniment:requests") + "?status=toutes")
    assert {s.school for s in listing.context["page"]} == set(demo_ecoles())
    page = client.get(reverse("accompaniment:school", args=[demo_ecoles()[0].uai]))
    assert page.status_code == 200 and page.context["may_accompany"]


def test_dates_move_with_the_day_of_the_demonstration():
    """Written for REFERENCE, the plans keep their order of events on any later day."""
    from datetime import date

    from paliers.accompaniment.demo import REFERENCE, _moved

    later = _moved(PLANS, date(2028, 2, 10))
    shift = date(2028, 2, 10) - REFERENCE
    requests_, records, actions = later[0]
    assert requests_[0].asked_on == PLANS[0][0][0].asked_on + shift
    assert records[-1].day < date(2028, 2, 10)
    assert {a.school_year for a in actions if a.school_year} == {"2026-2027", "2027-2028", "2028-2029"}
    assert f"{PLANS[0][0][0].asked_on + shift:%d/%m/%Y}" in actions[0].need

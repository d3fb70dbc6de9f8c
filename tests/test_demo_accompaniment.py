"""The demonstration accompaniment: requests in every state, records, a plan over several
school years, created once (a second run changes nothing)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from paliers.accompaniment.demo import PLANS, create_demo_accompaniment, demo_ecoles
from paliers.accompaniment.models import AccompanimentRecord, PlanAction, RequestStatus, SupportRequest
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
    assert {a.year for a in first.plan_actions.all()} == {"2025-2026", "2026-2027", "2027-2028"}
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

"""The caseload (« Suivi des écoles »): its rows computed by hand on the observatory's small
world (tests/observatory_world.py), the « needs attention » rule at the right moments
(time-machine), filters, sort, pages, the CSV for French Excel, and never a raw answer read."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from paliers.accompaniment.models import SupportRequest, record_action
from paliers.accounts.scoping import schools_for
from paliers.audit.models import AuditEvent, EventKind
from paliers.caseload.query import Choice
from paliers.caseload.rows import Caseload, counts
from paliers.objectives.models import Objective
from paliers.observatory.selection import observatory_schools, rounds_for
from paliers.schools.models import District

from .observatory_world import make_observatory_world

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

PARIS = ZoneInfo("Europe/Paris")
BUILT = datetime.datetime(2026, 3, 2, 9, tzinfo=PARIS)  # the campaign 2025-2026 is open


def moment(day, hour=9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), PARIS), tick=False)


@pytest.fixture
def world(db):
    with time_machine.travel(BUILT, tick=False):
        w = make_observatory_world()
        w.pilotage = w.framework.domains.get(code="PIL")
    return w


def rows_of(world, who, **choice):
    user = getattr(world, who)
    round = next(r for r in rounds_for(user) if r.school_year == "2025-2026")
    caseload = Caseload(observatory_schools(user), round, Choice(**choice))
    return {row.school.uai: row for row in caseload.detail(caseload.ids())}


def page(client, world, who, **params):
    client.force_login(getattr(world, who))
    return client.get(reverse("caseload:caseload"), params)


def test_every_school_of_the_scope_with_its_positioning(client, world):
    w = world
    with moment(datetime.date(2026, 3, 3)):
        response = page(client, w, "animator")
    assert response.status_code == 200
    rows = {row.school.uai: row for row in response.context["rows"]}
    assert set(rows) == set(schools_for(w.animator).values_list("uai", flat=True))  # the scoping function
    ecole, a = rows[w.ecole.uai], rows[w.a.uai]
    assert (ecole.stage, ecole.state_label, ecole.overall_level, ecole.answered) == (
        "submitted",
        "soumis",
        0,
        7,
    )
    assert ecole.levels[0] == 1  # PIL first: level 1 (1.25), every other domain 0
    assert (a.stage.label, a.answered, a.levels[0]) == ("en cours", 2, 0)
    counts = response.context["counts"]
    assert (counts["total"], counts["submitted"], counts["in_progress"], counts["not_started"]) == (
        3,
        2,
        1,
        0,
    )
    html = response.content.decode()
    assert reverse("assessments:results", args=[ecole.assessment_id]) in html
    assert reverse("accompaniment:school", args=[w.a.uai]) in html
    assert reverse("objectives:list", args=[w.b.uai]) in html
    # One district for the whole scope: said in the caption, not repeated on every row.
    assert "district" not in [c["key"] for c in response.context["columns"]]
    assert f"— {w.fresnes.label}" in " ".join(html.split())
    client.force_login(w.admin)
    with moment(datetime.date(2026, 3, 3)):
        assert "district" in [c["key"] for c in client.get(reverse("caseload:caseload")).context["columns"]]
    # The admin's scope: every school of Créteil, a collège and a lycée « non concerné ».
    admin = rows_of(w, "admin")
    assert len(admin) == 9 and admin[w.college.uai].stage is None
    assert admin[w.college.uai].state_label == "non concerné"


def test_requests_objectives_and_the_last_record(world):
    w = world
    SupportRequest.objects.create(school=w.a, domain=w.pilotage, message="Aide", created_at=BUILT)
    closed = SupportRequest.objects.create(school=w.a, domain=w.pilotage, message="Aide", created_at=BUILT)
    closed.close(w.animator)
    Objective.objects.create(
        school=w.a, framework=w.framework, domain=w.pilotage, level=w.framework.levels.first(),
        title="Tard", is_draft=False, due_on=datetime.date(2026, 2, 1),
    )  # fmt: skip
    record_action(w.a, w.animator, date=datetime.date(2026, 2, 10), kind="visite", notes="Note interne")
    record_action(w.a, w.animator, date=datetime.date(2026, 1, 10), kind="formation")
    with moment(datetime.date(2026, 3, 3)):
        a = rows_of(w, "animator")[w.a.uai]
    assert (a.open_requests, a.overdue_objectives) == (1, 1)
    assert (a.last_record_on, a.last_record_kind) == (datetime.date(2026, 2, 10), "visite")


def reasons(world, school, who="admin"):
    return rows_of(world, who)[school.uai].reason_codes


def test_a_school_not_started_needs_attention_two_weeks_before_closing(world):
    w = world  # c is not started; the campaign closes on 30 June 2026
    for day, expected in [
        (datetime.date(2026, 6, 15), []),  # 15 days before: not yet
        (datetime.date(2026, 6, 16), ["late_start"]),  # 14 days before
        (datetime.date(2026, 6, 30), ["late_start"]),  # the closing day
        (datetime.date(2026, 7, 1), []),  # closed: nothing left to start
    ]:
        with moment(day):
            assert reasons(w, w.c) == expected, day
            listed = rows_of(w, "admin", attention=True)
            assert (w.c.uai in listed) == bool(expected), day


def test_an_idle_positioning_needs_attention_after_30_days(world):
    w = world  # a was last changed when the world was built, on 2 March
    with moment(datetime.date(2026, 3, 31)):
        assert reasons(w, w.a) == []
    with moment(datetime.date(2026, 4, 2)):
        assert reasons(w, w.a) == ["idle"]
        assert reasons(w, w.ecole) == []  # submitted: done, not idle


def test_an_unanswered_request_and_an_overdue_objective_need_attention(world):
    w = world
    support = SupportRequest.objects.create(school=w.e, domain=w.pilotage, message="Aide", created_at=BUILT)
    with moment(datetime.date(2026, 3, 16), hour=8):
        assert "unanswered_request" not in reasons(w, w.e)  # 14 days: not yet
    with moment(datetime.date(2026, 3, 16), hour=10):
        assert "unanswered_request" in reasons(w, w.e)
        support.take_over(w.animator)
        assert "unanswered_request" not in reasons(w, w.e)  # taken over: answered
    goal = Objective.objects.create(
        school=w.college, framework=w.framework, domain=w.pilotage, level=w.framework.levels.first(),
        title="Objectif", is_draft=False, due_on=datetime.date(2026, 4, 1),
    )  # fmt: skip
    with moment(datetime.date(2026, 4, 1)):
        assert reasons(w, w.college) == []
    with moment(datetime.date(2026, 4, 2)):
        assert reasons(w, w.college) == ["overdue"]  # not concerned by the round, followed all the same
        goal.achieved, goal.closed_on = True, datetime.date(2026, 4, 2)
        goal.save()
        assert reasons(w, w.college) == []


def test_the_nation_and_a_scope_find_the_same_schools_needing_attention(world, django_user_model):
    """The rule is asked two ways (attention.needs_attention): through each reason's list over
    the nation, school by school over a scope. Both find the same schools, for every reason."""
    w = world
    SupportRequest.objects.create(school=w.e, domain=w.pilotage, message="Aide", created_at=BUILT)
    Objective.objects.create(
        school=w.college, framework=w.framework, domain=w.pilotage, level=w.framework.levels.first(),
        title="Objectif", is_draft=False, due_on=datetime.date(2026, 4, 1),
    )  # fmt: skip
    national = django_user_model.objects.create_superuser("national", password="x" * 12)
    with moment(datetime.date(2026, 6, 20)):  # a idle since March; e, the collège: above
        found = {}
        for user in (w.admin, national):
            round = next(r for r in rounds_for(user) if r.school_year == "2025-2026")
            caseload = Caseload(observatory_schools(user), round, Choice(attention=True))
            with CaptureQueriesContext(connection) as queries:
                count = counts(caseload, user)["attention"]
            uais = {row.school.uai for row in caseload.detail(caseload.ids())}
            assert count == len(uais)
            found[user] = (uais, "EXISTS" in queries.captured_queries[-1]["sql"].upper())
    expected = {w.a.uai, w.c.uai, w.f.uai, w.e.uai, w.college.uai}  # c and f not started
    assert found[w.admin] == (expected, True)  # one by one over the académie
    assert found[national] == (expected, False)  # the lists over the nation (Versailles: none)


def test_the_page_lists_the_schools_the_campaign_concerns_unless_asked_for_all(client, world):
    w = world  # the admin's scope: 7 schools in the écoles' campaigns, a collège and a lycée not
    with moment(datetime.date(2026, 3, 3)):
        default = page(client, w, "admin")
        listed = {row.school for row in default.context["rows"]}
        none = {row.school for row in page(client, w, "admin", etat="none").context["rows"]}
        every = {row.school for row in page(client, w, "admin", etat="all").context["rows"]}
        home = " ".join(client.get("/").content.decode().split())
    assert none == {w.college, w.lycee} and every == listed | none and not listed & none
    assert all(row.stage for row in default.context["rows"]) and len(listed) == 7
    counts = default.context["counts"]
    assert (counts["concerned"], counts["none"], counts["total"]) == (7, 2, 9)
    html = " ".join(default.content.decode().split())
    assert "7 écoles et établissements concernés" in html and "2 non concernés" in html
    assert "9 au total, concernés ou non" in html
    # The counts of attention cover every school; their link asks for every school, and so
    # does the form's box alone: a collège's request unanswered is one to follow.
    assert "etat=all&amp;attention=on" in html
    SupportRequest.objects.create(school=w.college, domain=w.pilotage, message="Aide", created_at=BUILT)
    with moment(datetime.date(2026, 3, 30)):
        ticked = page(client, w, "admin", attention="on").context
        assert w.college in {row.school for row in ticked["rows"]}
        assert len(ticked["rows"]) == ticked["counts"]["attention"]
    assert "7 écoles et établissements concernés dans votre périmètre" in home
    assert "etat=all&amp;attention=on" in home


def test_the_animator_reminds_every_school_not_submitted_from_the_caseload(client, world):
    w = world
    remind = reverse("assessments:campaign_remind", args=[w.campaign.pk])
    with moment(datetime.date(2026, 3, 3)):
        html = page(client, w, "animator").content.decode()
        assert f'href="{remind}?next=/suivi/' in html.replace("%2F", "/")
        listed = client.get(remind, {"next": "/suivi/"}).content.decode()
        # The reminder's page lists the animator's schools not submitted (a: in progress), no other.
        assert w.a.name in listed and w.ecole.name not in listed and w.c.name not in listed
        assert remind not in page(client, w, "observer").content.decode()  # observers do not remind
    with moment(datetime.date(2026, 7, 1)):  # closed: nothing to remind
        client.force_login(w.animator)
        assert remind not in page(client, w, "animator").content.decode()


def test_filters_search_sort_and_pages_on_the_page(client, world):
    w = world
    with moment(datetime.date(2026, 3, 3)):
        response = page(client, w, "admin", etat="not_started", tri="-nom")
        assert [row.school for row in response.context["rows"]] == [w.c, w.e, w.f]  # name, z to a
        html = response.content.decode()
        assert 'aria-sort="descending"' in html and "tri=nom" in html  # a click sorts the other way
        found = page(client, w, "admin", q="victor hugo").context["rows"]
        assert [row.school for row in found] == [w.e]
        # A search counts the states of the schools it finds, and of no other.
        searched = page(client, w, "admin", q="e", etat="all").context
        states = Counter(row.stage for row in searched["rows"])
        assert len(searched["rows"]) == searched["counts"]["total"] > 1 and states[None]
        concerned = page(client, w, "admin", q="e").context
        assert len(concerned["rows"]) == concerned["counts"]["concerned"]
        assert concerned["counts"]["concerned"] == searched["counts"]["total"] - states[None]
        assert [searched["counts"][s] for s in ("not_started", "in_progress", "submitted", "none")] == [
            states["not_started"], states["in_progress"], states["submitted"], states[None]
        ]  # fmt: skip
        refused = page(client, w, "admin", etat="inconnu")
        assert refused.status_code == 400 and "Sélectionnez un choix valide" in refused.content.decode()
        round = next(r for r in rounds_for(w.admin) if r.school_year == "2025-2026")
        caseload = Caseload(observatory_schools(w.admin), round, Choice())
        first, rows = caseload.page(1, per_page=4)
        _, more = caseload.page(2, per_page=4)
    assert first.paginator.count == 9 and first.paginator.num_pages == 3
    assert not {r.school.pk for r in rows} & {r.school.pk for r in more}


def test_the_csv_opens_in_french_excel(client, world):
    w = world
    client.force_login(w.admin)
    with moment(datetime.date(2026, 3, 3)):
        response = client.get(reverse("caseload:csv"), {"etat": "submitted"})
        content = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert content.startswith("\ufeffUAI;École ou établissement;Type;")
    lines = content.splitlines()
    assert len(lines) == 1 + 3  # the école, b and d
    ecole = next(line for line in lines if line.startswith(w.ecole.uai))
    assert ";Circonscription de Fresnes;soumis;0;1;0;0;0;0;0;7;" in ecole
    assert AuditEvent.objects.filter(kind=EventKind.EXPORT, detail__contains="suivi des écoles").exists()


def test_the_caseload_reads_the_aggregates_never_the_answers(client, world):
    w = world
    client.force_login(w.admin)
    with CaptureQueriesContext(connection) as queries:
        assert (
            client.get(reverse("caseload:caseload"), {"tri": "-d-PIL", "attention": "on"}).status_code == 200
        )
        b"".join(client.get(reverse("caseload:csv")).streaming_content)
    assert queries.captured_queries and not any(
        "assessments_answer" in q["sql"] for q in queries.captured_queries
    )


def test_an_animator_finds_nothing_outside_the_district(client, world):
    w = world
    response = page(client, w, "animator", q=w.college.uai)
    assert response.status_code == 200 and response.context["rows"] == []
    assert page(client, w, "head").status_code == 403


def test_no_page_shows_internal_notes(client, world):
    """An animator's record notes stay on the school's accompaniment page."""
    w = world
    record_action(w.a, w.animator, date=datetime.date(2026, 2, 10), kind="visite", notes="Confidentiel XYZ")
    html = page(client, w, "observer").content.decode()
    assert "Confidentiel XYZ" not in html and "10/02/2026" in html


def test_the_observatory_school_by_school_table(client, world):
    w = world
    client.force_login(w.admin)
    url = reverse("caseload:observatory")
    academy_wide = client.get(url)
    assert academy_wide.status_code == 200 and academy_wide.context["caseload"] is None
    assert "choisissez-en un" in academy_wide.content.decode()
    department = client.get(url, {"departement": w.val_de_marne.pk, "type": "elementaire"})
    assert {row.school for row in department.context["rows"]} == {w.ecole, w.b, w.e, w.f}
    # The schools of the round, as the observatory's participation counts them (not the collège).
    everyone = client.get(url, {"departement": w.val_de_marne.pk}).context["page"].paginator.count
    overview = client.get(reverse("observatory:overview"), {"departement": w.val_de_marne.pk})
    assert everyone == overview.context["participation_rows"][-1][4] == 6
    district = client.get(url, {"district": w.fresnes.pk, "positionnements": "soumis"})
    assert {row.school for row in district.context["rows"]} == {w.ecole, w.b}
    csv = client.get(reverse("caseload:observatory_csv"), {"departement": w.val_de_marne.pk})
    assert len(b"".join(csv.streaming_content).decode().splitlines()) == 1 + 6
    client.force_login(w.observer)  # Seine-et-Marne is not the observer's: refused as a choice
    assert client.get(url, {"departement": w.seine_et_marne.pk}).status_code == 400
    # An animator's district lies below a département: the table at once, nothing to choose.
    client.force_login(w.animator)
    mine = client.get(url)
    assert mine.context["caseload"] is not None
    assert {row.school for row in mine.context["rows"]} <= set(schools_for(w.animator))
    overview = client.get(reverse("observatory:overview"))
    assert mine.context["page"].paginator.count == overview.context["participation_rows"][-1][4] > 0


def test_a_round_without_a_campaign_in_the_scope_lists_the_schools_not_concerned(world):
    w = world  # Versailles' administrator, and Créteil's round: no campaign of theirs in it
    round = next(r for r in rounds_for(w.admin) if r.school_year == "2025-2026")
    caseload = Caseload(observatory_schools(w.other_admin), round, Choice())
    assert caseload.campaigns == []
    (row,) = caseload.detail(caseload.ids())
    assert row.school == w.other and row.state_label == "non concerné"


def test_the_filters_offer_only_real_choices(client, world):
    w = world
    fields = set(page(client, w, "animator").context["form"].fields)
    assert "departement" not in fields and "district" not in fields  # one district: nothing to choose
    admin = page(client, w, "admin").context["form"]
    assert "district" not in admin.fields and "district" in admin.fields["departement"].help_text
    bassin = District.objects.create(
        department=w.val_de_marne, kind="bassin", code="B1", name="Bassin de Vitry"
    )
    chosen = page(client, w, "admin", departement=w.val_de_marne.pk).context["form"]
    assert set(chosen.fields["district"].queryset) == {w.fresnes, bassin}

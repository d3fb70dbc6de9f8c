"""A campaign's whole life on the demo académie, day by day with time-machine: prepared
and announced, open, reminded at D-21, D-7 and D-1 (one e-mail per school and day), closed
(web and API refuse answers, the notice is shown), one school reopened for 7 days with its
late answers marked, the observatory and an indicator reading the close's snapshot."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from paliers.accounts.models import Role
from paliers.api.models import ApiToken
from paliers.assessments import answering
from paliers.assessments.aggregate_models import FigureArea, FigureKind, PublishedFigure, StageTally
from paliers.assessments.lifecycle_models import CampaignReminder, ClosedStageTally
from paliers.assessments.models import AnswerChange, Assessment, Campaign
from paliers.assessments.stages import Stage
from paliers.assessments.tasks import campaign_day
from paliers.audit.models import AuditEvent, EventKind
from paliers.frameworks.loading import framework_files, load_specs, parse_files
from paliers.frameworks.models import Framework
from paliers.observatory.figures import TOTAL, Reader
from paliers.observatory.selection import Area, Filters, Round
from paliers.roadmap.indicators import points
from paliers.roadmap.models import Axis, Indicator, Roadmap
from paliers.schools.demo import demo_district, demo_school
from paliers.schools.models import School, SchoolKind
from paliers.workers.inline import run_ready_tasks

from .factories import user
from .pages import page_html

API = "/api/v1"
OPENS, CLOSES = dt.date(2026, 9, 14), dt.date(2026, 11, 30)
REMINDER_DAYS = {dt.date(2026, 11, 9), dt.date(2026, 11, 23), dt.date(2026, 11, 29)}  # D-21, D-7, D-1


def at(day, hour=10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC), tick=False)


def run_day(day):
    campaign_day.enqueue(day.isoformat())
    run_ready_tasks()


def area(academy):
    return Area(departments=frozenset(academy.departments.values_list("pk", flat=True)))


@pytest.fixture
def demo(db):
    call_command("demo_accounts", stdout=StringIO())
    load_specs(parse_files([f for f in framework_files() if f.name.startswith("creteil-ecoles")]))
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    ecole = demo_school(SchoolKind.ELEMENTAIRE)
    # Four more écoles of the animator's circonscription with a head (one also a référent)
    # who has an e-mail: five schools to remind, the others have nobody to write to.
    others = list(demo_district().schools.exclude(pk=ecole.pk).order_by("uai")[:4])
    for index, school in enumerate(others):
        user(f"directrice-{index}", Role.SCHOOL_HEAD, school, email=f"d{index}@demo.invalid")
    user("referent-0", Role.SCHOOL_REFERENT, others[0], email="r0@demo.invalid")
    return {"users": users, "ecole": ecole, "others": others, "academy": ecole.department.academy}


def test_a_campaign_from_preparation_to_frozen_figures(client, demo, django_capture_on_commit_callbacks):
    users, ecole, others, academy = demo["users"], demo["ecole"], demo["others"], demo["academy"]
    framework = Framework.objects.get(slug="creteil-ecoles")
    key = ApiToken.issue(users["directeur"], "tests")[1]
    auth = {"Authorization": f"Bearer {key}"}
    # Prepared in August: the confirmation says how many écoles of which kinds.
    with at(dt.date(2026, 8, 25)):
        client.force_login(users["dan"])
        data = {"framework": framework.pk, "school_year": "2026-2027", "school_group": "ecoles",
                "opens_on": OPENS.isoformat(), "closes_on": CLOSES.isoformat(),
                "reminder_days": "21,7,1"}  # fmt: skip
        page = client.post(reverse("assessments:campaign_create"), data)
        ecoles = School.objects.filter(
            department__academy=academy, kind__in=["maternelle", "elementaire", "primaire"]
        )
        assert f"{ecoles.count()} positionnements seront créés" in page_html(page)
        assert (
            f"<td>école élémentaire</td>\n{' ' * 22}<td>{ecoles.filter(kind='elementaire').count()}"
            in page_html(page)
        )
        assert not Campaign.objects.exists()
        client.post(reverse("assessments:campaign_create"), {**data, "confirm": "1"})
        campaign = Campaign.objects.get()
        assert campaign.assessments.count() == ecoles.count()
        assessment = Assessment.objects.get(campaign=campaign, school=ecole)
        # Announced: the school sees it, cannot answer yet (web and API).
        client.force_login(users["directeur"])
        assert "Campagne annoncée : elle ouvre le 14/09/2026" in page_html(
            client.get(assessment.get_absolute_url())
        )
        refused = client.put(f"{API}/assessments/{assessment.pk}/answers",
                             {"answers": [{"criterion": "PIL.1.1", "value": "atteint"}]},
                             content_type="application/json", headers=auth)  # fmt: skip
        assert refused.status_code == 423
        assert refused.json()["detail"].startswith("La campagne ouvre le 14/09/2026")
    # Open: the school answers.
    with at(OPENS):
        answered = client.put(f"{API}/assessments/{assessment.pk}/answers",
                              {"answers": [{"criterion": "PIL.1.1", "value": "atteint"}]},
                              content_type="application/json", headers=auth)  # fmt: skip
        assert answered.status_code == 200
    # Reminders: e-mails on D-21, D-7 and D-1 only, one per school and day, even when the
    # animator clicks « Relancer » for the same schools that day.
    submitted_school = others[3]
    sent = {}
    day = dt.date(2026, 11, 8)
    while day <= CLOSES:
        with at(day):
            mail.outbox.clear()
            if day == dt.date(2026, 11, 23):
                client.force_login(users["animateur"])
                with django_capture_on_commit_callbacks(execute=True):
                    relaunch = client.post(reverse("assessments:campaign_remind", args=[campaign.pk]),
                                           {"ecole": [ecole.uai, others[0].uai]})  # fmt: skip
                assert relaunch.status_code == 302
                run_ready_tasks()
                assert len(mail.outbox) == 2
            if day == dt.date(2026, 11, 25):
                answering.submit(
                    Assessment.objects.get(campaign=campaign, school=submitted_school), users["admin"]
                )
            run_day(day)
            sent[day] = list(mail.outbox)
        day += dt.timedelta(days=1)
    assert {d for d, found in sent.items() if found} == REMINDER_DAYS
    schools_by_day = {d: sorted(m.to[0] for m in found) for d, found in sent.items() if found}
    everyone = sorted(["d0@demo.invalid", "d1@demo.invalid", "d2@demo.invalid", "d3@demo.invalid",
                       "directeur@demo.invalid"])  # fmt: skip
    assert schools_by_day[dt.date(2026, 11, 9)] == sorted(everyone)
    assert schools_by_day[dt.date(2026, 11, 23)] == sorted(everyone)  # the 2 clicked + 3 scheduled
    assert schools_by_day[dt.date(2026, 11, 29)] == sorted(set(everyone) - {"d3@demo.invalid"})  # submitted
    first = next(m for m in sent[dt.date(2026, 11, 9)] if m.to[0] == "d0@demo.invalid")
    assert first.to == ["d0@demo.invalid", "r0@demo.invalid"]  # the head and the référent, one e-mail
    assert "à soumettre avant le 30/11/2026" in first.subject
    assert f"/positionnements/{Assessment.objects.get(campaign=campaign, school=others[0]).pk}/" in first.body
    assert "dans 21 jours" in first.body
    assert CampaignReminder.objects.filter(school=ecole).count() == 3
    assert CampaignReminder.objects.filter(school=ecole, cause="manual").count() == 1
    client.force_login(users["directeur"])
    assert "Relances reçues" in page_html(client.get(reverse("directory:detail", args=[ecole.uai])))
    # Closed: the daily task freezes it; web and API refuse answers, with the notice.
    with at(dt.date(2026, 12, 1)):
        run_day(dt.date(2026, 12, 1))
        campaign.refresh_from_db()
        assert campaign.frozen_at is not None
        assessment.refresh_from_db()
        assert assessment.stage_at_close == Stage.IN_PROGRESS
        assert (
            Assessment.objects.get(campaign=campaign, school=submitted_school).stage_at_close
            == Stage.SUBMITTED
        )
        page = client.get(assessment.get_absolute_url())
        closed = page_html(page)
        assert "Campagne close le 30/11/2026 : ce positionnement est en lecture seule pour tous" in closed
        assert (
            f'hx-post="{reverse("assessments:save_answer", args=[assessment.pk, "PIL.1.1"])}"'
            not in page_html(page)
        )
        refused = client.put(f"{API}/assessments/{assessment.pk}/answers",
                             {"answers": [{"criterion": "PIL.1.2", "value": "atteint"}]},
                             content_type="application/json", headers=auth)  # fmt: skip
        assert refused.status_code == 423
        assert "close depuis le 30/11/2026" in refused.json()["detail"]
        web = client.post(
            reverse("assessments:save_answer", args=[assessment.pk, "PIL.1.2"]), {"value": "atteint"}
        )
        assert web.status_code == 302 and not assessment.answers.filter(criterion__code="PIL.1.2").exists()
        reader = Reader(Round(framework, "2026-2027"), area(academy), Filters())
        assert reader.frozen
        at_close = reader.participation()[TOTAL]
        assert (at_close.submitted, at_close.in_progress) == (1, 1)
        assert PublishedFigure.objects.filter(
            kind=FigureKind.CLOSE, area=FigureArea.ACADEMY, area_id=academy.pk
        ).exists()
        # No reminder after the close.
        mail.outbox.clear()
        run_day(dt.date(2026, 12, 1))
        assert mail.outbox == []
    # The DAN reopens one school for 7 days; its late answers are marked and change only
    # the live figures: the observatory and the indicator keep the close's.
    with at(dt.date(2026, 12, 2)):
        client.force_login(users["dan"])
        reopened = client.post(reverse("assessments:reopen_late", args=[assessment.pk]), {"days": "7"})
        assert reopened.status_code == 302
        assessment.refresh_from_db()
        assert assessment.late_until == dt.date(2026, 12, 8)
        assert AuditEvent.objects.filter(
            kind=EventKind.CAMPAIGN, user=users["dan"], detail__contains="rouvert"
        ).exists()
        roadmap = Roadmap.objects.create(academy=academy, title="Feuille de route", period="2026-2027")
        indicator = Indicator.objects.create(axis=Axis.objects.create(roadmap=roadmap, title="Pilotage"),
                                             title="Écoles ayant soumis", definition="soumis",
                                             framework=framework)  # fmt: skip
        before = points(Indicator.objects.select_related("axis__roadmap").get(pk=indicator.pk), users["dan"])
    with at(dt.date(2026, 12, 8)):
        client.force_login(users["directeur"])
        late = client.put(f"{API}/assessments/{assessment.pk}/answers",
                          {"answers": [{"criterion": "PIL.1.2", "value": "atteint"}]},
                          content_type="application/json", headers=auth)  # fmt: skip
        assert late.status_code == 200
        client.post(reverse("assessments:submit", args=[assessment.pk]), {"confirm_unanswered": "1"})
        assert AnswerChange.objects.get(assessment=assessment, criterion__code="PIL.1.2").late
        assert not AnswerChange.objects.get(assessment=assessment, criterion__code="PIL.1.1").late
        history = client.get(reverse("assessments:history", args=[assessment.pk, "PIL.1.2"]))
        assert "tardive" in page_html(history)
        submitted = {"campaign": campaign, "stage": Stage.SUBMITTED}
        live = StageTally.objects.filter(**submitted).aggregate(n=Sum("schools"))["n"]
        frozen = ClosedStageTally.objects.filter(**submitted).aggregate(n=Sum("schools"))["n"]
        assert (live, frozen) == (2, 1)  # two submitted now, one at the close
        reader = Reader(Round(framework, "2026-2027"), area(academy), Filters())
        assert reader.participation()[TOTAL].submitted == 1
        after = points(Indicator.objects.select_related("axis__roadmap").get(pk=indicator.pk), users["dan"])
        assert (
            [(p.label, p.count) for p in after]
            == [(p.label, p.count) for p in before]
            == [("Clôture 2026-2027", 1)]
        )
        client.force_login(users["dan"])
        csv = client.get(reverse("assessments:campaign_csv", args=[campaign.pk]), {"stage": "submitted"})
        lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
        row = next(line for line in lines if line.startswith(ecole.uai))
        assert row.split(";")[-4:-1] == ["en cours", "08/12/2026", "1"]  # at the close, reopened until, late
        assert ecole.email and ecole.email in row
        overview = client.get(reverse("observatory:overview"), {"round": f"{framework.pk}.2026-2027"})
        assert "Chiffres à la clôture du 30/11/2026" in page_html(overview)
    # The day after the reopening ends: read-only again.
    with at(dt.date(2026, 12, 9)), pytest.raises(answering.CampaignClosed):
        answering.ensure_answerable(Assessment.objects.select_related("campaign").get(pk=assessment.pk))


def test_removal_only_while_nobody_answered_and_in_the_journal(client, demo):
    users, academy = demo["users"], demo["academy"]
    framework = Framework.objects.get(slug="creteil-ecoles")
    with at(dt.date(2026, 9, 20)):
        campaign = _campaign(framework, academy, users["dan"])
        client.force_login(users["dan"])
        assessment = campaign.assessments.get(school=demo["ecole"])
        answering.save_answer(assessment, framework.criteria.get(code="PIL.1.1"), value="atteint",
                              seen_version=0, user=users["directeur"])  # fmt: skip
        page = client.get(reverse("assessments:campaign_delete", args=[campaign.pk]))
        assert "1 école a déjà répondu" in page_html(page)
        client.post(reverse("assessments:campaign_delete", args=[campaign.pk]), {"confirm": "oui"})
        assert Campaign.objects.filter(pk=campaign.pk).exists()
        answering.save_answer(assessment, framework.criteria.get(code="PIL.1.1"), value="non_renseigne",
                              seen_version=1, user=users["directeur"])  # fmt: skip
        unconfirmed = client.post(reverse("assessments:campaign_delete", args=[campaign.pk]))
        assert unconfirmed.status_code == 302 and Campaign.objects.filter(pk=campaign.pk).exists()
        response = client.post(reverse("assessments:campaign_delete", args=[campaign.pk]), {"confirm": "oui"})
        assert response.status_code == 302 and not Campaign.objects.filter(pk=campaign.pk).exists()
        event = AuditEvent.objects.filter(kind=EventKind.CAMPAIGN).latest("at")
        assert event.user == users["dan"] and "supprimée" in event.detail


def _campaign(framework, academy, user, **dates):
    from paliers.assessments.campaigns import open_campaign

    return open_campaign(
        framework=framework, school_year="2026-2027", academy=academy, school_group="ecoles",
        opens_on=dates.get("opens_on", dt.date(2026, 9, 14)), closes_on=dates.get("closes_on", CLOSES),
        user=user,
    )  # fmt: skip


def test_dates_edit_close_early_and_extend(client, demo):
    users, academy = demo["users"], demo["academy"]
    framework = Framework.objects.get(slug="creteil-ecoles")
    with at(dt.date(2026, 10, 1)):
        campaign = _campaign(framework, academy, users["dan"])
        client.force_login(users["dan"])
        url = reverse("assessments:campaign_edit", args=[campaign.pk])
        outside = client.post(
            url, {"opens_on": "2026-09-14", "closes_on": "2027-09-30", "reminder_days": "21,7,1"}
        )
        assert outside.status_code == 200
        assert (
            "L’année scolaire 2026-2027 va du 01/09/2026 au 31/08/2027 : la clôture doit y tomber."
            in page_html(outside)
        )
        assert (
            client.post(
                url, {"opens_on": "2026-09-14", "closes_on": "2026-12-15", "reminder_days": "14,2"}
            ).status_code
            == 302
        )
        campaign.refresh_from_db()
        assert (campaign.closes_on, campaign.reminder_schedule) == (dt.date(2026, 12, 15), [14, 2])
        client.post(reverse("assessments:campaign_close", args=[campaign.pk]), {"confirm": "oui"})
        campaign.refresh_from_db()
        assert campaign.closes_on == dt.date(2026, 9, 30) and campaign.frozen_at is not None
        assert campaign.state(dt.date(2026, 10, 1)) == "closed"
        # Extended after the close: open again, the frozen figures dropped until the new close.
        client.post(url, {"opens_on": "2026-09-14", "closes_on": "2026-10-31", "reminder_days": ""})
        campaign.refresh_from_db()
        assert campaign.frozen_at is None and campaign.state(dt.date(2026, 10, 1)) == "open"
        assert not ClosedStageTally.objects.filter(campaign=campaign).exists()
        details = list(
            AuditEvent.objects.filter(kind=EventKind.CAMPAIGN, user=users["dan"]).values_list(
                "detail", flat=True
            )
        )
        assert len(details) == 5  # dates and reminders, closed early, dates and reminders
        assert any("close par anticipation" in d for d in details)
        assert any("changées pour du 14/09/2026 au 31/10/2026" in d for d in details)


def test_a_school_year_out_of_bounds_is_refused_in_french(client, demo):
    users = demo["users"]
    framework = Framework.objects.get(slug="creteil-ecoles")
    client.force_login(users["dan"])
    page = client.post(reverse("assessments:campaign_create"), {
        "framework": framework.pk, "school_year": "2026-2027", "school_group": "ecoles",
        "opens_on": "2020-09-01", "closes_on": "2031-06-30", "reminder_days": "21,7,x",
    })  # fmt: skip
    assert "l’ouverture doit y tomber" in page_html(page) and "la clôture doit y tomber" in page_html(page)
    assert "Jours de relance attendus sous la forme 21,7,1" in page_html(page)
    assert not Campaign.objects.exists()

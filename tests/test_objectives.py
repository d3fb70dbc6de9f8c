"""SMART objectives: model rules, suggestions, the échéancier, the pages and the reminders."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from paliers.accounts.models import Membership, Role
from paliers.assessments import answering
from paliers.frameworks.models import Criterion
from paliers.objectives.models import Checkpoint, CheckpointState, Objective, Reminder
from paliers.objectives.reminders import send_reminders
from paliers.objectives.steering import suggestions, target_levels, timetable
from paliers.workers.inline import run_ready_tasks

from .factories import user
from .test_api import make_api_world

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def spring_2026():
    """The dates below are written for a day of March 2026: due dates ahead, points past."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def world(db):
    w = make_api_world()
    w.framework = w.ecoles_campaign.framework
    w.formation = w.framework.domains.get(code="FOR")
    w.pilotage = w.framework.domains.get(code="PIL")
    w.level = {level.number: level for level in w.framework.levels.all()}
    w.head.email, w.member.email = "directeur@example.org", "membre@example.org"
    w.head.save()
    w.member.save()
    return w


def objective(world, **fields):
    values = {
        "school": world.ecole, "framework": world.framework, "domain": world.formation,
        "level": world.level[2], "title": "Former l’équipe à l’ENT", "is_draft": False,
        "due_on": TODAY + datetime.timedelta(days=30), "pilot": world.member,
    }  # fmt: skip
    return Objective.objects.create(**{**values, **fields})


# --- model rules -------------------------------------------------------------------


def test_state_comes_from_the_latest_checkpoint_and_overdue_from_the_due_date(world):
    goal = objective(world, due_on=TODAY)
    assert goal.state == CheckpointState.NOT_STARTED
    Checkpoint.objects.create(objective=goal, date=TODAY, state=CheckpointState.DONE)
    Checkpoint.objects.create(objective=goal, date=TODAY - datetime.timedelta(days=40), state="en_cours")
    assert goal.state == CheckpointState.DONE  # by date, not by order of entry
    assert not goal.is_overdue(TODAY)
    assert goal.is_overdue(TODAY + datetime.timedelta(days=1))
    with time_machine.travel(datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC), tick=False):
        assert goal.overdue and Objective.objects.overdue().get() == goal
    goal.achieved, goal.closed_on = True, TODAY
    goal.save()
    assert not goal.is_overdue(TODAY + datetime.timedelta(days=1))  # closed: never overdue
    draft = objective(world, is_draft=True, due_on=TODAY - datetime.timedelta(days=9))
    assert not draft.is_overdue(TODAY)  # a draft is not a commitment yet


def test_database_refuses_an_outcome_without_its_date_and_a_commitment_without_due_date(world):
    with pytest.raises(IntegrityError):
        objective(world, achieved=True, closed_on=None)


def test_database_refuses_a_committed_objective_without_due_date(world):
    with pytest.raises(IntegrityError):
        objective(world, due_on=None)


# --- suggestions and targets ------------------------------------------------------------


def answer_level(world, numbers, domain_codes=None):
    criteria = world.framework.criteria.filter(level__number__in=numbers)
    if domain_codes:
        criteria = criteria.filter(domain__code__in=domain_codes)
    answering.replace_answers(
        world.assessment, [{"criterion": c.code, "value": "atteint"} for c in criteria], user=world.head
    )


def test_suggestions_aim_at_the_next_level_with_its_unmet_criteria(world):
    from paliers.assessments.results import assessment_results

    answer_level(world, [1])
    result = assessment_results(world.assessment)
    found = {s.domain.code: s for s in suggestions(world.ecole, world.framework, result.domains)}
    assert set(found) == {d.code for d in result.domains if d.next_steps}
    formation = found["FOR"]
    assert formation.level.number == 2
    assert [c.code for c in formation.criteria] == ["FOR.2.1", "FOR.2.2", "FOR.2.3", "FOR.2.4"]
    assert formation.existing is None
    aimed = objective(world, is_draft=True, due_on=None)
    again = {s.domain.code: s for s in suggestions(world.ecole, world.framework, result.domains)}
    assert again["FOR"].existing == aimed


def test_targets_are_the_highest_level_of_committed_open_objectives(world):
    objective(world, level=world.level[2])
    objective(world, level=world.level[3])
    objective(world, level=world.level[4] if 4 in world.level else world.level[3], is_draft=True, due_on=None)
    objective(world, domain=world.pilotage, level=world.level[3], achieved=True, closed_on=TODAY)
    assert target_levels(world.ecole, world.framework) == {"FOR": 3}


def test_results_page_offers_suggestions_to_the_head_and_draws_the_targets(client, world):
    answer_level(world, [1])
    client.force_login(world.head)
    url = reverse("assessments:results", args=[world.assessment.pk])
    html = client.get(url).content.decode()
    assert html.count("En faire un objectif") == len(client.get(url).context["suggestions"])
    assert "Cible des objectifs engagés" not in html
    objective(world, level=world.level[3])
    response = client.get(url)
    html = response.content.decode()
    target = next(s for s in response.context["series"] if s.style == "target")
    scores = {d.code: d.score for d in response.context["result"].domains}
    by_code = dict(zip([d.code for d in response.context["result"].domains], target.values, strict=True))
    assert by_code["FOR"] == 3 and by_code["PIL"] == scores["PIL"]  # elsewhere: where the school stands
    assert "Cible des objectifs engagés" in html and "Objectif déjà fixé" not in html  # level 3, not 2


def test_a_suggestion_becomes_a_draft_objective(client, world):
    answer_level(world, [1])
    client.force_login(world.referent)
    criteria = ["FOR.2.1", "FOR.2.2"]
    level_two = world.level[2]
    response = client.post(
        reverse("objectives:from_suggestion", args=[world.ecole.uai]),
        {"domain": world.formation.pk, "level": level_two.pk, "criteria": criteria},
    )
    draft = Objective.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("objectives:edit", args=[draft.pk])
    assert draft.is_draft and draft.created_by == world.referent and draft.school == world.ecole
    assert (draft.domain, draft.level) == (world.formation, level_two)
    assert sorted(draft.criteria.values_list("code", flat=True)) == criteria
    assert "FOR.2.1" in draft.description
    refused = client.post(
        reverse("objectives:from_suggestion", args=[world.ecole.uai]),
        {"domain": world.formation.pk, "level": level_two.pk, "criteria": ["PIL.2.1"]},
    )
    assert refused.status_code == 404 and Objective.objects.count() == 1  # not a criterion of the domain
    # A domain of a framework the école has no campaign on, or no domain at all: nothing either.
    other = world.etab_campaign.framework
    elsewhere = {"domain": other.domains.first().pk, "level": other.levels.get(number=2).pk}
    for posted in (elsewhere, {"domain": "pas-un-nombre", "level": "2"}, {"domain": "9" * 30}):
        response = client.post(reverse("objectives:from_suggestion", args=[world.ecole.uai]), posted)
        assert response.status_code == 404
    assert Objective.objects.count() == 1


# --- the échéancier ----------------------------------------------------------------------


def test_timetable_filters_and_sorts(world):
    late = objective(world, title="En retard", due_on=TODAY - datetime.timedelta(days=3), pilot=None,
                     pilot_name="Mme Zola")  # fmt: skip
    soon = objective(world, title="Bientôt", domain=world.pilotage, due_on=TODAY + datetime.timedelta(days=3))
    Checkpoint.objects.create(objective=soon, date=TODAY, state=CheckpointState.IN_PROGRESS)
    done = objective(world, title="Fini", achieved=True, closed_on=TODAY)
    draft = objective(world, title="Brouillon", is_draft=True, due_on=None, pilot=None)
    every = list(Objective.objects.all())

    def titles(**filters):
        return [o.title for o in timetable(every, today=TODAY, **filters)]

    assert titles() == ["En retard", "Bientôt", "Fini", "Brouillon"]  # by due date; none: last
    assert titles(status="retard") == [late.title]
    assert titles(status="en_cours") == [soon.title]
    assert titles(status="atteint") == [done.title]
    assert titles(status="brouillon") == [draft.title]
    assert titles(domain=str(world.pilotage.pk)) == [soon.title]
    assert titles(pilot="zola") == [late.title]
    assert titles(sort="pilote") == ["Bientôt", "Fini", "En retard", "Brouillon"]  # membre, Mme Zola, none
    assert titles(sort="domaine")[0] == soon.title  # PIL comes before FOR in the framework


def test_timetable_page_highlights_overdue_objectives(client, world):
    objective(world, title="En retard", due_on=datetime.date(2020, 1, 6))
    objective(world, title="À venir", due_on=datetime.date(2099, 1, 6))
    client.force_login(world.observer)
    response = client.get(reverse("objectives:list", args=[world.ecole.uai]))
    html = response.content.decode()
    assert response.status_code == 200 and response.context["overdue"] == 1
    assert html.count('class="paliers-overdue"') == 1 and "en retard" in html
    assert "Nouvel objectif" not in html  # an observer reads
    filtered = client.get(reverse("objectives:list", args=[world.ecole.uai]), {"etat": "retard"})
    assert [o.title for o in filtered.context["rows"]] == ["En retard"]


# --- forms and pages ------------------------------------------------------------------------


def form_data(world, **changes):
    data = {
        "title": "Former l’équipe à l’ENT", "target": f"domain-{world.formation.pk}",
        "level": world.level[2].pk, "description": "Deux sessions", "smart_specific": "on",
        "pilot": world.member.pk, "pilot_name": "", "due_on": "2026-06-30", "commit": "on",
    }  # fmt: skip
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_create_an_objective_and_its_rules(client, world):
    client.force_login(world.head)
    url = reverse("objectives:create", args=[world.ecole.uai])
    assert client.get(url).status_code == 200
    missing = client.post(url, form_data(world, pilot="", due_on=""))
    assert missing.status_code == 422 and not Objective.objects.exists()
    errors = missing.context["form"].errors
    assert "Indiquez l’échéance" in errors["due_on"][0] and "pilote" in errors["pilot"][0]
    both = client.post(url, form_data(world, pilot_name="M. Martin"))
    assert "pas les deux" in both.context["form"].errors["pilot_name"][0]
    outsider = user("dehors", Role.SCHOOL_MEMBER, world.college)
    foreign = client.post(url, form_data(world, pilot=outsider.pk))
    assert "pilot" in foreign.context["form"].errors  # only a member of the school pilots
    other_framework = world.etab_campaign.framework.domains.first()
    wrong = client.post(url, form_data(world, target=f"domain-{other_framework.pk}"))
    assert "target" in wrong.context["form"].errors
    draft = client.post(url, form_data(world, pilot="", due_on="", commit=None))
    created = Objective.objects.get()
    assert draft.status_code == 302 and created.is_draft and created.created_by == world.head
    edit = reverse("objectives:edit", args=[created.pk])
    page = client.get(edit)
    assert "FOR.2.1" in page.content.decode()  # the domain's criteria, once the domain is known
    criterion = Criterion.objects.get(framework=world.framework, code="FOR.2.1")
    response = client.post(edit, form_data(world, criteria=[criterion.pk], smart_measurable="on"))
    created.refresh_from_db()
    assert response.status_code == 302 and not created.is_draft and created.smart_count == 2
    assert list(created.criteria.all()) == [criterion]


def test_the_pilot_records_points_of_situation_and_the_head_closes(client, world):
    goal = objective(world)
    client.force_login(world.member)  # the pilot, a member of the school
    page = client.get(goal.get_absolute_url()).content.decode()
    assert "Nouveau point de situation" in page and "Clôturer" not in page
    url = reverse("objectives:checkpoint", args=[goal.pk])
    bad = client.post(url, {"date": "31/02/2026", "state": "en_cours"})
    assert bad.status_code == 422 and "date" in bad.context["form"].errors and not goal.checkpoints.exists()
    assert (
        client.post(url, {"date": "2026-03-01", "state": "en_cours", "comment": "1re session"}).status_code
        == 302
    )
    assert client.post(reverse("objectives:close", args=[goal.pk]), {"achieved": "oui"}).status_code == 403
    client.force_login(world.head)
    close = client.post(
        reverse("objectives:close", args=[goal.pk]), {"achieved": "oui", "closed_on": "2026-03-02"}
    )
    goal.refresh_from_db()
    assert close.status_code == 302 and goal.achieved is True and goal.closed_on == datetime.date(2026, 3, 2)
    assert client.post(url, {"date": "2026-03-02", "state": "acheve"}).status_code == 302
    assert goal.checkpoints.count() == 1  # closed: no new point until reopened
    client.post(reverse("objectives:reopen", args=[goal.pk]))
    goal.refresh_from_db()
    assert goal.achieved is None and goal.closed_on is None


def test_someone_else_who_is_not_the_pilot_cannot_report(client, world):
    goal = objective(world, pilot=None, pilot_name="Mme Zola")
    client.force_login(world.member)
    response = client.post(
        reverse("objectives:checkpoint", args=[goal.pk]), {"date": "2026-03-01", "state": "en_cours"}
    )
    assert response.status_code == 403 and not goal.checkpoints.exists()


def test_delete_asks_first(client, world):
    goal = objective(world)
    client.force_login(world.referent)
    url = reverse("objectives:delete", args=[goal.pk])
    assert client.get(url).status_code == 200 and Objective.objects.exists()
    assert client.post(url).status_code == 302 and not Objective.objects.exists()


def test_school_page_counts_the_objectives(client, world):
    objective(world, due_on=datetime.date(2020, 1, 6))
    objective(world, achieved=False, closed_on=TODAY)
    client.force_login(world.member)
    html = client.get(reverse("directory:detail", args=[world.ecole.uai])).content.decode()
    assert "2 objectifs, dont 1 en cours et 1 en retard." in " ".join(html.split())


# --- reminders ------------------------------------------------------------------------------


def at(day, hour=7):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), datetime.UTC), tick=False)


def test_reminders_go_once_a_day_to_the_pilot_for_due_soon_and_overdue_objectives(world):
    soon = objective(world, title="Bientôt", due_on=TODAY + datetime.timedelta(days=14))
    late = objective(world, title="En retard", due_on=TODAY - datetime.timedelta(days=1))
    objective(world, title="Lointain", due_on=TODAY + datetime.timedelta(days=15))
    objective(world, title="Brouillon", is_draft=True, due_on=TODAY)
    objective(world, title="Clos", due_on=TODAY, achieved=True, closed_on=TODAY)
    with at(TODAY):
        assert send_reminders() == (1, 2)
        assert send_reminders() == (0, 0)  # the same day, again: nothing
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["membre@example.org"]
    assert "Bientôt" in message.body and "En retard" in message.body and "Lointain" not in message.body
    assert "dans 14 jours" in message.body and "Échéance dépassée" in message.body
    assert f"/objectifs/{soon.pk}/" in message.body
    assert set(Reminder.objects.values_list("objective_id", flat=True)) == {soon.pk, late.pk}
    with at(TODAY + datetime.timedelta(days=1), hour=18):
        assert send_reminders() == (1, 3)  # the next day: once more, and « Lointain » is now due
    assert len(mail.outbox) == 2


def test_a_typed_in_pilot_or_one_who_left_is_replaced_by_the_heads(world):
    objective(world, title="Sans compte", pilot=None, pilot_name="Mme Zola", due_on=TODAY)
    left = objective(world, title="Parti", due_on=TODAY)
    Membership.objects.filter(user=world.member).update(
        revoked_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    with at(TODAY):
        assert send_reminders() == (1, 2)
    assert mail.outbox[0].to == ["directeur@example.org"] and "Parti" in mail.outbox[0].body
    assert left.reminders.get().recipient == world.head


def test_the_daily_reminder_tasks_are_safe_to_run_twice(world):
    from io import StringIO

    objective(world, due_on=TODAY)
    out = StringIO()
    with at(TODAY):
        call_command("send_reminders", stdout=out)  # the timer, at 7 h…
        call_command("send_reminders", stdout=out)  # …and at 13 h, before any worker ran
        results = run_ready_tasks()
    assert "send_objective_reminders : en file (tâche " in out.getvalue()
    sent = [r.return_value for r in results if r.task_name == "send_objective_reminder"]
    assert sorted(sent) == [0, 1]  # one task per person per run; the second sends nothing
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert len(mail.outbox) == 1


def test_send_reminders_now_runs_the_daily_tasks_in_the_command(world):
    from io import StringIO

    objective(world, due_on=TODAY)
    out = StringIO()
    with at(TODAY):
        call_command("send_reminders", "--now", stdout=out)
    lines = out.getvalue().splitlines()
    assert "send_objective_reminders : SUCCESSFUL 1" in lines
    assert "send_objective_reminder : SUCCESSFUL 1" in lines
    assert len(mail.outbox) == 1 and not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


def test_home_page_leads_school_people_to_their_assessment_and_objectives(client, world):
    objective(world, title="En retard", due_on=datetime.date(2020, 1, 6))
    objective(world, title="Bientôt", due_on=TODAY + datetime.timedelta(days=30))
    objective(world, title="Plus tard", due_on=TODAY + datetime.timedelta(days=31))
    client.force_login(world.member)
    with at(TODAY):
        response = client.get(reverse("home"))
    html = " ".join(response.content.decode().split())
    assert response.context["home"].school == world.ecole
    assessment = world.ecoles_campaign.assessments.get(school=world.ecole)
    # The campaign open that day, its state word, and for a member: their own contribution.
    assert reverse("assessments:contribution", args=[assessment.pk]) in html and "non commencé" in html
    assert [o.title for o in response.context["home"].objectives] == ["En retard", "Bientôt"]
    assert reverse("objectives:list", args=[world.ecole.uai]) in html
    client.force_login(world.observer)  # no school role: the caseload, not a school
    assert "home" not in client.get(reverse("home")).context

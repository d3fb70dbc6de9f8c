"""Dates that make sense, checked in the model, the forms and the API alike, each refusal a
French message on the field: a committed objective is not due in the past at the moment it
is committed; a point de situation and a closing are not in the future; the échéancier's
latest point is the latest by date."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from paliers.objectives.models import Checkpoint, CheckpointState, Objective
from paliers.objectives.steering import close

from .pages import page_html
from .test_api import call, make_api_world

TODAY = datetime.date(2026, 3, 2)
YESTERDAY, TOMORROW = TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)
PAST_DUE = (
    "L’échéance d’un objectif engagé ne peut pas être passée : choisissez aujourd’hui (02/03/2026) ou plus "
    "tard, ou gardez l’objectif en brouillon."
)
FUTURE_POINT = (
    "La date d’un point de situation ne peut pas être à venir : au plus tard aujourd’hui, 02/03/2026."
)
FUTURE_CLOSING = "La date de clôture ne peut pas être à venir : au plus tard aujourd’hui, 02/03/2026."


@pytest.fixture(autouse=True)
def spring_2026():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def world(db):
    w = make_api_world()
    w.framework = w.ecoles_campaign.framework
    w.formation = w.framework.domains.get(code="FOR")
    w.level = w.framework.levels.get(number=2)
    return w


def objective(world, **fields):
    values = {
        "school": world.ecole, "framework": world.framework, "domain": world.formation, "level": world.level,
        "title": "Former l’équipe à l’ENT", "is_draft": False, "due_on": TOMORROW, "pilot": world.member,
    }  # fmt: skip
    return Objective.objects.create(**{**values, **fields})


def refusal(callable_, field):
    with pytest.raises(ValidationError) as refused:
        callable_()
    return refused.value.message_dict[field]


# --- the model ---------------------------------------------------------------------------


def test_a_committed_objective_is_not_due_in_the_past_when_committed(world):
    draft = objective(world, is_draft=True, due_on=YESTERDAY)
    draft.full_clean()  # a draft may keep any date
    draft.is_draft = False
    assert refusal(draft.full_clean, "due_on") == [PAST_DUE]
    draft.due_on = TODAY
    draft.full_clean()


def test_an_objective_that_became_overdue_stays_editable_but_not_moved_into_the_past(world):
    overdue = objective(world, due_on=datetime.date(2026, 1, 15))  # committed in January
    overdue.title = "Former toute l’équipe à l’ENT"
    overdue.full_clean()  # its due date unchanged: still editable
    overdue.due_on = datetime.date(2026, 2, 1)
    assert refusal(overdue.full_clean, "due_on") == [PAST_DUE]


def test_a_point_de_situation_is_not_in_the_future(world):
    goal = objective(world)
    assert refusal(
        Checkpoint(objective=goal, date=TOMORROW, state=CheckpointState.IN_PROGRESS).full_clean, "date"
    ) == [FUTURE_POINT]
    Checkpoint(objective=goal, date=TODAY, state=CheckpointState.IN_PROGRESS).full_clean()


def test_a_closing_is_not_in_the_future(world):
    goal = objective(world)
    assert refusal(lambda: close(goal, achieved=True, closed_on=TOMORROW, observations=""), "closed_on") == [
        FUTURE_CLOSING
    ]
    goal.refresh_from_db()
    assert goal.achieved is None
    goal.closed_on, goal.achieved = TOMORROW, True
    assert refusal(goal.full_clean, "closed_on") == [FUTURE_CLOSING]


def test_the_latest_point_is_the_latest_by_date_not_by_entry(world):
    goal = objective(world)
    Checkpoint.objects.create(objective=goal, date=TODAY, state=CheckpointState.DONE)
    Checkpoint.objects.create(
        objective=goal, date=YESTERDAY, state=CheckpointState.IN_PROGRESS
    )  # entered last
    assert [c.date for c in goal.latest_checkpoints()] == [TODAY, YESTERDAY]
    assert goal.state == CheckpointState.DONE and goal.status_label == "achevé, à clôturer"


# --- the forms, through the pages --------------------------------------------------------


def test_the_pages_refuse_with_the_message_beside_the_field(client, world):
    client.force_login(world.head)
    create = client.post(
        reverse("objectives:create", args=[world.ecole.uai]),
        {"title": "Former l’équipe", "target": f"domain-{world.formation.pk}", "level": world.level.pk,
         "pilot": world.member.pk, "due_on": YESTERDAY.isoformat(), "commit": "on"},
    )  # fmt: skip
    assert create.status_code == 422 and create.context["form"].errors["due_on"] == [PAST_DUE]
    assert PAST_DUE in page_html(create)  # shown on the page, beside the field
    assert not Objective.objects.exists()
    goal = objective(world)
    point = client.post(
        reverse("objectives:checkpoint", args=[goal.pk]), {"date": TOMORROW.isoformat(), "state": "en_cours"}
    )
    assert point.status_code == 422 and point.context["form"].errors["date"] == [FUTURE_POINT]
    closing = client.post(
        reverse("objectives:close", args=[goal.pk]), {"achieved": "oui", "closed_on": TOMORROW}
    )
    assert closing.status_code == 422 and closing.context["form"].errors["closed_on"] == [FUTURE_CLOSING]
    assert not goal.checkpoints.exists() and Objective.objects.get(pk=goal.pk).achieved is None


# --- the API -----------------------------------------------------------------------------


def test_the_api_refuses_with_the_same_messages(client, world):
    created = call(client, world, "head", "post", f"/schools/{world.ecole.uai}/objectives",
                   {"domain": "FOR", "level": 2, "title": "Former", "draft": False, "pilot": "membre",
                    "due_on": YESTERDAY.isoformat()})  # fmt: skip
    assert created.status_code == 422
    assert {"field": "due_on", "error": PAST_DUE} in created.json()["errors"]
    goal = objective(world)
    point = call(client, world, "member", "post", f"/objectives/{goal.pk}/checkpoints",
                 {"date": TOMORROW.isoformat(), "state": "en_cours"})  # fmt: skip
    assert point.status_code == 422 and {"field": "date", "error": FUTURE_POINT} in point.json()["errors"]
    closing = call(client, world, "head", "post", f"/objectives/{goal.pk}/close",
                   {"achieved": True, "closed_on": TOMORROW.isoformat()})  # fmt: skip
    assert (
        closing.status_code == 422
        and {"field": "closed_on", "error": FUTURE_CLOSING} in closing.json()["errors"]
    )
    assert not goal.checkpoints.exists() and Objective.objects.count() == 1

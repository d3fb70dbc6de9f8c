"""The objectives endpoints: who may do what, and bad input refused with nothing written."""

import datetime

import pytest
import time_machine

from paliers.objectives.models import Checkpoint, Objective

from .test_api import API, USERS, call, make_api_world

OUTSIDE = {"other_admin": 404, "other_head": 404, "nobody": 404}
READERS = {**dict.fromkeys(USERS, 200), **OUTSIDE}
STEERERS = {**dict.fromkeys(USERS, 403), **OUTSIDE, "head": None, "referent": None}
MATRIX_OPERATIONS = {  # covered for every user by test_reading_matrix and test_writing_matrix
    ("get", "/schools/{uai}/objectives"), ("post", "/schools/{uai}/objectives"),
    ("get", "/objectives/{objective_id}"), ("patch", "/objectives/{objective_id}"),
    ("post", "/objectives/{objective_id}/checkpoints"), ("post", "/objectives/{objective_id}/close"),
}  # fmt: skip


@pytest.fixture(autouse=True)
def spring_2026():
    """The dates below are written for a day of March 2026: due dates ahead, points past."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def world(db):
    w = make_api_world()
    w.framework = w.ecoles_campaign.framework
    w.goal = Objective.objects.create(
        school=w.ecole, framework=w.framework, domain=w.framework.domains.get(code="FOR"),
        level=w.framework.levels.get(number=2), title="Former l’équipe", is_draft=False,
        due_on=datetime.date(2026, 6, 30), pilot=w.member,
    )  # fmt: skip
    return w


def counts():
    return Objective.objects.count(), Checkpoint.objects.count()


NEW = {"domain": "FOR", "level": 2, "title": "Former à l’ENT", "criteria": ["FOR.2.1"], "draft": True}


@pytest.mark.parametrize("who", USERS)
def test_reading_matrix(client, world, who):
    listing = call(client, world, who, "get", f"/schools/{world.ecole.uai}/objectives")
    detail = call(client, world, who, "get", f"/objectives/{world.goal.pk}")
    assert (listing.status_code, detail.status_code) == (READERS[who], READERS[who])
    if READERS[who] == 200:
        assert [o["title"] for o in listing.json()] == ["Former l’équipe"]
        assert detail.json()["pilot"] == "membre" and detail.json()["state"] == "non_engage"


@pytest.mark.parametrize("who", USERS)
def test_writing_matrix(client, world, who):
    expected = STEERERS[who]
    create = call(client, world, who, "post", f"/schools/{world.ecole.uai}/objectives", NEW)
    assert create.status_code == (expected or 201)
    patch = call(client, world, who, "patch", f"/objectives/{world.goal.pk}", {"title": "Nouveau titre"})
    assert patch.status_code == (expected or 200)
    # The pilot (the member) may also record points de situation.
    point = call(client, world, who, "post", f"/objectives/{world.goal.pk}/checkpoints",
                 {"date": "2026-03-01", "state": "en_cours"})  # fmt: skip
    assert point.status_code == (201 if who == "member" else expected or 201)
    close = call(client, world, who, "post", f"/objectives/{world.goal.pk}/close",
                 {"achieved": True, "closed_on": "2026-03-02"})  # fmt: skip
    assert close.status_code == (expected or 200)
    world.goal.refresh_from_db()
    if expected:
        assert world.goal.title == "Former l’équipe" and Objective.objects.count() == 1
        assert world.goal.achieved is None
    else:
        assert world.goal.title == "Nouveau titre" and world.goal.achieved is True


def test_create_names_things_by_code(client, world):
    response = call(client, world, "head", "post", f"/schools/{world.ecole.uai}/objectives",
                    {**NEW, "draft": False, "pilot": "referent", "due_on": "2026-05-31",
                     "smart": {"smart_measurable": True}})  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["framework"] == "creteil-ecoles/2014" and body["criteria"] == ["FOR.2.1"]
    assert body["pilot"] == "referent" and body["smart"]["smart_measurable"] and not body["draft"]
    created = Objective.objects.get(pk=body["id"])
    assert created.created_by == world.head and list(created.criteria.values_list("code", flat=True)) == [
        "FOR.2.1"
    ]


def test_checkpoints_and_closing_show_in_the_objective(client, world):
    call(client, world, "member", "post", f"/objectives/{world.goal.pk}/checkpoints",
         {"date": "2026-03-01", "state": "acheve", "comment": "Fait"})  # fmt: skip
    body = call(client, world, "head", "post", f"/objectives/{world.goal.pk}/close",
                {"achieved": False, "closed_on": "2026-03-02"}).json()  # fmt: skip
    assert body["state"] == "acheve" and body["achieved"] is False and body["closed_on"] == "2026-03-02"
    assert body["checkpoints"] == [{"date": "2026-03-01", "state": "acheve", "comment": "Fait"}]
    again = call(client, world, "member", "post", f"/objectives/{world.goal.pk}/checkpoints",
                 {"date": "2026-03-02", "state": "acheve"})  # fmt: skip
    assert again.status_code == 409 and Checkpoint.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "domain": "XXX"}, "domain"),
        ({**NEW, "level": 9}, "level"),
        ({**NEW, "criteria": ["PIL.1.1"]}, "criteria"),  # another domain's criterion
        ({**NEW, "component": "nope"}, "component"),
        ({**NEW, "pilot": "principal-versailles"}, "pilot"),  # not a member of the school
        ({**NEW, "pilot": "quelquun"}, "pilot"),
        ({**NEW, "draft": False}, "due_on"),  # committed without due date (nor pilot)
        ({**NEW, "title": ""}, "title"),
        ({**NEW, "smart": {"smart_bidule": True}}, "smart.smart_bidule"),
        ({**NEW, "framework": "inconnu/1"}, "framework"),
        ({**NEW, "colour": "blue"}, "colour"),
        ({**NEW, "level": "deux"}, "level"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(client, world, body, field):
    before = counts()
    response = call(client, world, "head", "post", f"/schools/{world.ecole.uai}/objectives", body)
    assert response.status_code == 422, response.json()
    payload = response.json()
    assert payload["detail"] and field in {item["field"] for item in payload["errors"]}
    assert counts() == before


def test_malformed_json_and_bad_patch_write_nothing(client, world):
    before = counts()
    raw = call(client, world, "head", "post", f"/schools/{world.ecole.uai}/objectives", raw="{pas du json")
    assert raw.status_code == 400 and raw.json()["detail"]
    patch = call(client, world, "head", "patch", f"/objectives/{world.goal.pk}", {"due_on": None})
    assert patch.status_code == 422 and "due_on" in {e["field"] for e in patch.json()["errors"]}
    moved = call(client, world, "head", "patch", f"/objectives/{world.goal.pk}",
                 {"framework": "creteil-etablissements/2014"})  # fmt: skip
    assert moved.status_code == 422
    bad_point = call(client, world, "member", "post", f"/objectives/{world.goal.pk}/checkpoints",
                     {"date": "2026-02-31", "state": "en_cours"})  # fmt: skip
    assert bad_point.status_code == 422
    world.goal.refresh_from_db()
    assert world.goal.due_on == datetime.date(2026, 6, 30) and counts() == before


def test_another_schools_objectives_are_not_found(client, world):
    response = call(client, world, "other_head", "patch", f"/objectives/{world.goal.pk}", {"title": "x"})
    assert response.status_code == 404 and response.json()["detail"]


def test_openapi_lists_the_objectives_endpoints(client, db):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert {(path, method) for path, ops in paths.items() for method in ops} >= {
        (f"{API}/schools/{{uai}}/objectives", "get"),
        (f"{API}/schools/{{uai}}/objectives", "post"),
        (f"{API}/objectives/{{objective_id}}", "get"),
        (f"{API}/objectives/{{objective_id}}", "patch"),
        (f"{API}/objectives/{{objective_id}}/checkpoints", "post"),
        (f"{API}/objectives/{{objective_id}}/close", "post"),
    }


def test_an_objective_on_a_framework_of_no_campaign_of_the_school_is_refused(client, world):
    """As the web form: the école positions itself on the écoles framework only."""
    before = counts()
    path = f"/schools/{world.ecole.uai}/objectives"
    refused = call(client, world, "head", "post", path, {**NEW, "framework": "creteil-etablissements/2014"})
    assert refused.status_code == 422 and counts() == before
    [error] = refused.json()["errors"]
    assert error["field"] == "framework" and "aucune campagne de cette école" in error["error"]
    accepted = call(client, world, "head", "post", path, {**NEW, "framework": "creteil-ecoles/2014"})
    assert accepted.status_code == 201

"""The accompaniment endpoints: who may read and write, and bad input refused with nothing written."""

import datetime
import json

import pytest
from django.utils import timezone

from paliers.accompaniment.models import AccompanimentRecord, PlanAction, RequestStatus, SupportRequest
from paliers.api.models import ApiToken

from .factories import other_district_animator
from .test_api import API, USERS, make_api_world

OUTSIDE = {"other_admin": 404, "other_head": 404, "nobody": 404, "other_animator": 404}
READERS = {**dict.fromkeys(USERS, 200), **OUTSIDE}
ANIMATORS = {**dict.fromkeys(USERS, 403), **OUTSIDE, "animator": 201}
EVERYONE = [*USERS, "other_animator"]
MATRIX_OPERATIONS = {  # covered for every user by test_reading_matrix and test_writing_matrix
    ("get", "/schools/{uai}/support-requests"), ("get", "/schools/{uai}/accompaniment-records"),
    ("get", "/schools/{uai}/accompaniment-plan"), ("post", "/schools/{uai}/accompaniment-records"),
}  # fmt: skip


@pytest.fixture
def world(db):
    w = make_api_world()
    w.training = w.ecoles_campaign.framework.domains.get(code="FOR")
    w.support = SupportRequest.objects.create(
        school=w.ecole, domain=w.training, message="Animation tablettes", created_by=w.head
    )
    w.closed = SupportRequest.objects.create(
        school=w.ecole, domain=w.training, message="Ancienne", status=RequestStatus.CLOSED,
        closed_at=timezone.now(),
    )  # fmt: skip
    w.college_request = SupportRequest.objects.create(
        school=w.college, domain=w.etab_campaign.framework.domains.get(code="FOR"), message="Collège"
    )
    w.action = PlanAction.objects.create(
        school=w.ecole, domain=w.training, request=w.support, need="Former le cycle 2",
        action="Animation pédagogique", planned_on=datetime.date(2026, 3, 12),
    )  # fmt: skip
    w.other_animator = other_district_animator(w)
    w.keys["other_animator"] = ApiToken.issue(w.other_animator, "tests")[1]
    return w


def call(client, world, who, method, path, body=None, raw=None):
    kwargs = {"headers": {"Authorization": f"Bearer {world.keys[who]}"}}
    if body is not None or raw is not None:
        kwargs.update(data=raw if raw is not None else json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"{API}{path}", **kwargs)


def state():
    return (
        sorted(AccompanimentRecord.objects.values_list("school", "request", "date", "kind", "notes")),
        sorted(SupportRequest.objects.values_list("pk", "status")),
    )


VISIT = {"date": "2025-11-13", "kind": "visite", "participants": "Le directeur", "notes": "Visite."}


@pytest.mark.parametrize("who", EVERYONE)
def test_reading_matrix(client, world, who):
    uai = world.ecole.uai
    for path in ("support-requests", "accompaniment-records", "accompaniment-plan"):
        response = call(client, world, who, "get", f"/schools/{uai}/{path}")
        assert response.status_code == READERS[who], path
        if response.status_code == 404:
            assert response.json()["detail"] == "École ou établissement introuvable dans votre périmètre."


def test_what_is_read(client, world):
    uai = world.ecole.uai
    requests = call(client, world, "observer", "get", f"/schools/{uai}/support-requests").json()
    assert [r["id"] for r in requests] == [world.closed.pk, world.support.pk]  # newest first
    first = requests[1]
    assert first["domain"] == {"framework": "creteil-ecoles/2014", "code": "FOR", "title": "Formation"}
    assert (first["school"], first["status"], first["created_by"]) == (uai, "ouverte", "directeur")
    (action,) = call(client, world, "member", "get", f"/schools/{uai}/accompaniment-plan").json()
    assert (action["school_year"], action["planned_on"], action["request"], action["status"]) == (
        "2025-2026", "2026-03-12", world.support.pk, "prevue",
    )  # fmt: skip


@pytest.mark.parametrize("who", EVERYONE)
def test_writing_matrix(client, world, who):
    before = state()
    body = {**VISIT, "request": world.support.pk}
    response = call(client, world, who, "post", f"/schools/{world.ecole.uai}/accompaniment-records", body)
    assert response.status_code == ANIMATORS[who]
    if response.status_code != 201:
        assert response.json()["detail"] and state() == before
        return
    data = response.json()
    assert (data["school"], data["request"], data["kind"], data["recorded_by"]) == (
        world.ecole.uai, world.support.pk, "visite", "animateur",
    )  # fmt: skip
    world.support.refresh_from_db()
    assert world.support.status == RequestStatus.TAKEN and world.support.taken_by == world.animator
    listed = call(client, world, "head", "get", f"/schools/{world.ecole.uai}/accompaniment-records").json()
    assert [r["id"] for r in listed] == [data["id"]]


def test_the_other_animator_writes_for_the_college_only(client, world):
    path = f"/schools/{world.college.uai}/accompaniment-records"
    body = {**VISIT, "request": world.college_request.pk, "close_request": True}
    assert call(client, world, "animator", "post", path, body).status_code == 404
    assert call(client, world, "observer", "post", path, body).status_code == 403
    assert call(client, world, "other_animator", "post", path, body).status_code == 201
    world.college_request.refresh_from_db()
    assert world.college_request.status == RequestStatus.CLOSED


TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
BAD_BODIES = [
    ({**VISIT, "date": TOMORROW}, "date", "est à venir"),
    ({**VISIT, "date": "13/11/2025"}, None, None),
    ({**VISIT, "kind": "pique-nique"}, "kind", "Nature de l’intervention inconnue"),
    ({**VISIT, "request": "closed"}, "request", "pas une demande en cours"),
    ({**VISIT, "request": "college"}, "request", "pas une demande en cours"),
    ({**VISIT, "close_request": True}, "close_request", "« Demande »"),
    ({**VISIT, "notes": "x" * 4001}, None, "texte trop long"),
    ({**VISIT, "couleur": "bleu"}, None, "champ inconnu"),
    ({"kind": "visite"}, None, "champ obligatoire"),
]


@pytest.mark.parametrize(("body", "field", "message"), BAD_BODIES)
def test_bad_records_are_refused_and_nothing_is_written(client, world, body, field, message):
    body = {
        k: {"closed": world.closed.pk, "college": world.college_request.pk}.get(v, v) for k, v in body.items()
    }
    before = state()
    response = call(
        client, world, "animator", "post", f"/schools/{world.ecole.uai}/accompaniment-records", body
    )
    assert response.status_code == 422
    data = response.json()
    assert data["detail"] and data["errors"]
    if field:
        assert field in {e["field"] for e in data["errors"]}
    if message:
        assert any(message in e["error"] for e in data["errors"]), data
    assert state() == before


@pytest.mark.parametrize("raw", ["{pas du json", "", "null"])
def test_malformed_json_is_refused(client, world, raw):
    before = state()
    response = call(
        client, world, "animator", "post", f"/schools/{world.ecole.uai}/accompaniment-records", raw=raw
    )
    assert response.status_code in {400, 422} and response.json()["detail"]
    assert state() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "support-requests"),
        ("put", "accompaniment-records"),
        ("delete", "accompaniment-records"),
        ("post", "accompaniment-plan"),
    ],
)
def test_wrong_methods_are_405_json(client, world, method, path):
    response = call(client, world, "animator", method, f"/schools/{world.ecole.uai}/{path}", VISIT)
    assert response.status_code == 405 and "non permise" in response.json()["detail"]


def test_schema_lists_the_accompaniment_endpoints(client, db):
    schema = client.get(f"{API}/openapi.json").json()
    paths = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    assert paths >= {
        (f"{API}/schools/{{uai}}/support-requests", "get"),
        (f"{API}/schools/{{uai}}/accompaniment-records", "get"),
        (f"{API}/schools/{{uai}}/accompaniment-records", "post"),
        (f"{API}/schools/{{uai}}/accompaniment-plan", "get"),
    }
    record = schema["components"]["schemas"]["RecordIn"]["properties"]
    assert record["kind"]["enum"] == ["visite", "formation", "reunion_district", "cercle_usagers"]

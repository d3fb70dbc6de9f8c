"""The caseload in the JSON API: who may read it, the rows computed by hand on the
observatory's small world (tests/observatory_world.py), filters, sort and pagination."""

import pytest

from paliers.api.models import ApiToken

from .observatory_world import make_observatory_world
from .test_api import API, USERS

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

# Académie staff, animators and observers read their scope; Versailles' administrator sees no
# Créteil campaign (404); school people have no caseload (403).
MATRIX = {**dict.fromkeys(USERS, 403), "admin": 200, "other_admin": 404, "animator": 200, "observer": 200}
MATRIX_OPERATIONS = {("get", "/caseload")}


@pytest.fixture
def world(db):
    w = make_observatory_world()
    w.keys = {who: ApiToken.issue(getattr(w, who), "tests")[1] for who in USERS}
    return w


def get(client, world, who, **params):
    params = {"campaign": world.campaign.pk, **params}
    return client.get(f"{API}/caseload", params, headers={"Authorization": f"Bearer {world.keys[who]}"})


@pytest.mark.parametrize("who", USERS)
def test_matrix(client, world, who):
    assert get(client, world, who).status_code == MATRIX[who]


def names(response):
    return [item["name"] for item in response.json()["items"]]


def test_the_animators_district_computed_by_hand(client, world):
    w = world
    found = get(client, w, "animator").json()
    assert found["count"] == 3  # the école, a and b: the schools of Fresnes
    by_uai = {item["uai"]: item for item in found["items"]}
    ecole, a, b = by_uai[w.ecole.uai], by_uai[w.a.uai], by_uai[w.b.uai]
    assert (ecole["stage"], ecole["stage_label"], ecole["answered"]) == ("submitted", "soumis", 7)
    assert (a["stage"], a["stage_label"], a["answered"]) == ("in_progress", "en cours", 2)
    assert [ecole["levels"]["PIL"], a["levels"]["PIL"], b["levels"]["PIL"]] == [1, 0, 2]
    assert ecole["total_criteria"] == w.framework.criteria.count()
    assert ecole["districts"] == ["Circonscription de Fresnes"]
    assert a["priority_education"] == "REP" and b["kind"] == "elementaire"


def test_every_school_of_the_scope_and_the_state_filter(client, world):
    w = world
    everything = get(client, w, "admin", state="all", limit=500).json()
    # Créteil's nine schools: seven écoles, and a collège and a lycée not concerned by the round;
    # without a state, the seven the round concerns, as on the page.
    assert everything["count"] == 9
    concerned = get(client, w, "admin", limit=500).json()
    assert concerned["count"] == 7 and all(item["stage"] for item in concerned["items"])
    none = {item["uai"]: item for item in get(client, w, "admin", state="none").json()["items"]}
    assert set(none) == {w.college.uai, w.lycee.uai}
    assert none[w.college.uai]["stage"] is None and none[w.college.uai]["stage_label"] == "non concerné"
    not_started = get(client, w, "admin", state="not_started").json()["items"]
    assert {item["uai"] for item in not_started} == {w.c.uai, w.e.uai, w.f.uai}
    # Val-de-Marne: not d (Seine-et-Marne); the collège is not concerned.
    assert get(client, w, "observer", state="all").json()["count"] == 7
    assert get(client, w, "observer").json()["count"] == 6


def test_search_filters_sort_and_pages(client, world):
    w = world
    assert names(get(client, w, "admin", q="lilas")) == [w.a.name]  # case and accents aside
    assert names(get(client, w, "admin", q=w.d.uai.lower())) == [w.d.name]
    # The école and the collège's commune.
    assert len(names(get(client, w, "admin", q="fresnes", state="all"))) == 2
    assert names(get(client, w, "admin", priority="ep", sort="nom")) == [w.a.name, w.c.name]
    assert names(get(client, w, "admin", kind="primaire")) == [w.c.name]
    assert names(get(client, w, "admin", sector="prive")) == [w.b.name]
    assert set(names(get(client, w, "admin", district=w.fresnes.pk))) == {w.ecole.name, w.a.name, w.b.name}
    assert names(get(client, w, "admin", department="077", state="all")) == [w.d.name, w.lycee.name]
    top = names(get(client, w, "admin", sort="-d-PIL", limit=2))
    assert top == [w.b.name, w.d.name]  # PIL level 2, then 1: d and the école, by name
    ordered = names(get(client, w, "admin", sort="etat", state="all"))
    assert ordered[-2:] == sorted([w.college.name, w.lycee.name])  # not concerned: last
    first = get(client, w, "admin", limit=4, state="all").json()
    second = get(client, w, "admin", limit=4, offset=4, state="all").json()
    assert first["count"] == second["count"] == 9 and not set(names_of(first)) & set(names_of(second))


def names_of(data):
    return [item["name"] for item in data["items"]]


def test_bad_parameters(client, world):
    w = world
    refused = get(client, w, "admin", state="inconnu")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "state"
    outside = get(client, w, "observer", department="077")  # Seine-et-Marne: outside Val-de-Marne
    assert outside.status_code == 422 and outside.json()["errors"][0]["field"] == "department"
    assert get(client, w, "admin", campaign=999_999).status_code == 404
    assert get(client, w, "admin", limit=0).status_code == 422


def test_a_schools_last_accompaniment_reads_as_its_kind(client, world):
    """The last record's kind is its label, as text (a lazy translation once gave a 500)."""
    import datetime

    from paliers.accompaniment.models import AccompanimentRecord, RecordKind

    w = world
    AccompanimentRecord.objects.create(
        school=w.a,
        date=datetime.date(2026, 3, 2),
        kind=RecordKind.values[0],
        notes="",
        recorded_by=w.animator,
    )
    response = get(client, w, "animator")
    assert response.status_code == 200
    by_uai = {item["uai"]: item for item in response.json()["items"]}
    assert by_uai[w.a.uai]["last_record"] == {"date": "2026-03-02", "kind": str(RecordKind.labels[0])}
    assert by_uai[w.b.uai]["last_record"] is None

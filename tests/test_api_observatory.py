"""The observatory and the roadmap in the JSON API: who may read what, the figures computed
by hand (tests/observatory_world.py), the small-group rule, bad parameters refused."""

import pytest

from paliers.api.models import ApiToken
from paliers.roadmap.models import Axis, Indicator, Roadmap

from .observatory_world import make_observatory_world
from .test_api import API, USERS

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

ROUND = {"framework": "creteil-ecoles/2014", "school_year": "2025-2026"}
READERS = {**dict.fromkeys(USERS, 403), "admin": 200, "other_admin": 422, "animator": 200, "observer": 200}


@pytest.fixture
def world(db):
    w = make_observatory_world()
    w.keys = {who: ApiToken.issue(getattr(w, who), "tests")[1] for who in USERS}
    w.roadmap = Roadmap.objects.create(academy=w.creteil, title="Feuille de route", period="2025-2026")
    axis = Axis.objects.create(roadmap=w.roadmap, title="Pilotage")
    w.indicator = Indicator.objects.create(
        axis=axis, title="Écoles de Fresnes ayant soumis", definition="soumis", framework=w.framework,
        district=w.fresnes,
    )  # fmt: skip
    return w


def get(client, world, who, path, **params):
    return client.get(f"{API}{path}", params, headers={"Authorization": f"Bearer {world.keys[who]}"})


@pytest.mark.parametrize("who", USERS)
def test_aggregates_matrix(client, world, who):
    # Versailles' administrator has no campaign of this round in scope: an unknown choice (422).
    assert get(client, world, who, "/observatory/aggregates", **ROUND).status_code == READERS[who]
    rounds = get(client, world, who, "/observatory/rounds")
    assert rounds.status_code == (200 if READERS[who] != 403 else 403)


# Every observatory and roadmap endpoint, for every kind of user: académie staff,
# animators and observers read over their scope; school people see their school's benchmark
# only; a round or an object outside the scope is an unknown choice (422) or not found (404).
OBSERVERS = {**dict.fromkeys(USERS, 403), "admin": 200, "animator": 200, "observer": 200}
MATRIX = {
    "/observatory/rounds": {**OBSERVERS, "other_admin": 200},
    "/observatory/aggregates": READERS,
    "/observatory/heatmap": READERS,
    "/schools/{uai}/benchmark": {**dict.fromkeys(USERS, 200), "other_admin": 404, "other_head": 404,
                                 "nobody": 404},
    "/roadmaps": {**OBSERVERS, "other_admin": 200},  # Versailles' administrator: an empty list
    "/roadmaps/{roadmap_id}": {**OBSERVERS, "other_admin": 404},
    "/indicators/{indicator_id}": {**OBSERVERS, "other_admin": 404},
}  # fmt: skip
MATRIX_OPERATIONS = {("get", path) for path in MATRIX}


@pytest.mark.parametrize("who", USERS)
def test_every_endpoint_for_every_user(client, world, who):
    w = world
    for template, expected in MATRIX.items():
        path = template.format(uai=w.ecole.uai, roadmap_id=w.roadmap.pk, indicator_id=w.indicator.pk)
        params = ROUND if template in ("/observatory/aggregates", "/observatory/heatmap") else {}
        assert get(client, w, who, path, **params).status_code == expected[who], template


def test_aggregates_computed_by_hand(client, world):
    found = get(client, world, "admin", "/observatory/aggregates", **ROUND).json()
    assert found["participation"] == {"not_started": 3, "in_progress": 1, "submitted": 3, "total": 7}
    assert found["by"] == "department"
    assert [(g["code"], g["submitted"]) for g in found["groups"]] == [("077", 1), ("094", 2)]
    pil = next(d for d in found["domains"] if d["code"] == "PIL")
    assert pil["levels"] == {"0": 1, "1": 2, "2": 1} and pil["average_score"] == pytest.approx(4.45 / 4)
    criterion = next(c for c in found["criteria"] if c["code"] == "PIL.1.2")
    assert (criterion["met"], criterion["not_met"], criterion["met_share"]) == (3, 1, 0.75)


def test_filters_and_scope(client, world):
    w = world
    private = get(client, w, "admin", "/observatory/aggregates", sector="prive", **ROUND).json()
    assert private["participation"]["submitted"] == 1
    district = get(client, w, "animator", "/observatory/aggregates", **ROUND).json()
    assert district["participation"] == {"not_started": 0, "in_progress": 1, "submitted": 2, "total": 3}
    refused = get(client, w, "observer", "/observatory/aggregates", department="077", **ROUND)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "department"
    unknown = get(
        client, w, "admin", "/observatory/aggregates", framework="inconnu/1", school_year="2025-2026"
    )
    assert unknown.status_code == 422


def test_heatmap(client, world):
    found = get(client, world, "observer", "/observatory/heatmap", **ROUND).json()
    assert found["by"] == "district"
    (row,) = found["rows"]
    assert row["name"] == "Circonscription de Fresnes"
    assert row["scores"]["PIL"] == pytest.approx((1.25 + 0.2 + 2.0) / 3)


def test_benchmark_hides_small_groups(client, world):
    w = world
    path = f"/schools/{w.ecole.uai}/benchmark"
    latest = get(client, w, "head", path).json()[-1]
    assert latest["school_year"] == "2025-2026" and latest["scores"]["PIL"] == 1.25
    assert [(a["area"], a["hidden"], a["scores"]) for a in latest["averages"]] == [
        ("district", True, None), ("similar", True, None),
        ("department", True, None), ("academy", True, None),
    ]  # fmt: skip
    admin = get(client, w, "admin", path).json()[-1]
    assert [a["hidden"] for a in admin["averages"]] == [False, False, False, False]
    assert admin["averages"][0]["scores"]["PIL"] == pytest.approx(1.625)
    assert get(client, w, "other_head", path).status_code == 404


def test_roadmaps_and_indicators(client, world):
    w = world
    assert [r["title"] for r in get(client, w, "observer", "/roadmaps").json()] == ["Feuille de route"]
    assert get(client, w, "other_admin", "/roadmaps").json() == []
    assert get(client, w, "head", "/roadmaps").status_code == 403
    detail = get(client, w, "animator", f"/roadmaps/{w.roadmap.pk}").json()
    (indicator,) = detail["axes"][0]["indicators"]
    assert [(p["school_year"], p["value"], p["total"]) for p in indicator["points"]] == [
        ("2024-2025", 1, 3), ("2025-2026", 2, 3),
    ]  # fmt: skip
    assert get(client, w, "other_admin", f"/roadmaps/{w.roadmap.pk}").status_code == 404


def test_an_indicator_over_few_schools_is_hidden_from_others(client, world):
    from paliers.accounts.models import Role

    from .factories import user

    w = world
    outside = user("animateur-77", Role.ANIMATOR, w.seine_et_marne)
    w.keys["outside"] = ApiToken.issue(outside, "tests")[1]
    points = get(client, w, "outside", f"/indicators/{w.indicator.pk}").json()["points"]
    assert [(p["hidden"], p["value"]) for p in points] == [(True, None), (True, None)]

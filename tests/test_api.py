"""The JSON API under /api/v1/: authentication, the authorization matrix of every endpoint,
bad inputs refused with nothing written, the OpenAPI schema and the offline docs page."""

import json
import re
from datetime import date

import pytest
from django.contrib.staticfiles import finders

from paliers.api.models import ApiToken
from paliers.assessments.answering import submit
from paliers.assessments.campaigns import open_campaign
from paliers.assessments.models import Answer, AnswerChange, SchoolGroup
from paliers.frameworks.loading import framework_files, load_specs, parse_files

from .factories import make_world

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

USERS = ["admin", "other_admin", "animator", "observer", "head", "referent", "member", "other_head", "nobody"]
API = "/api/v1"


@pytest.fixture
def world(db):
    return make_api_world()


def make_api_world():
    """make_world's users and schools, each user with a token, and three campaigns: the
    écoles of Créteil (the head's, référent's and member's school), its établissements
    (collège, lycée) and the établissements of Versailles."""
    names = ("creteil-etablissements-2014", "creteil-ecoles-2014")
    results = load_specs(parse_files([f for f in framework_files() if f.name.startswith(names)]))
    frameworks = {r.spec.slug: r.framework for r in results}
    w = make_world()
    dates = {"school_year": "2025-2026", "opens_on": date(2025, 9, 1), "closes_on": date(2026, 6, 30)}
    w.ecoles_campaign = open_campaign(
        framework=frameworks["creteil-ecoles"], academy=w.creteil, school_group=SchoolGroup.ECOLES,
        user=w.admin, **dates,
    )  # fmt: skip
    w.etab_campaign = open_campaign(
        framework=frameworks["creteil-etablissements"], academy=w.creteil,
        school_group=SchoolGroup.ETABLISSEMENTS, user=w.admin, **dates,
    )  # fmt: skip
    w.versailles_campaign = open_campaign(
        framework=frameworks["creteil-etablissements"], academy=w.versailles,
        school_group=SchoolGroup.ETABLISSEMENTS, user=w.other_admin, **dates,
    )  # fmt: skip
    w.assessment = w.ecole.assessments.get()  # the school of the head, référent and member
    w.college_assessment = w.college.assessments.get()
    w.lycee_assessment = w.lycee.assessments.get()
    w.other_assessment = w.other.assessments.get()
    w.keys = {who: ApiToken.issue(getattr(w, who), "tests")[1] for who in USERS}
    return w


def call(client, world, who, method, path, body=None, raw=None):
    headers = {"Authorization": f"Bearer {world.keys[who]}"} if who in USERS else {}
    if who not in USERS and who is not None:
        headers = {"Authorization": who}  # a header given as is (bad tokens)
    kwargs = {"headers": headers}
    if method != "get" and (body is not None or raw is not None):
        kwargs.update(data=raw if raw is not None else json.dumps(body), content_type="application/json")
    return getattr(client, method)(f"{API}{path}", **kwargs)


def state():
    return (
        sorted(Answer.objects.values_list("assessment_id", "criterion__code", "value", "comment", "version")),
        AnswerChange.objects.count(),
    )


ONE_ANSWER = {"answers": [{"criterion": "PIL.1.1", "value": "atteint", "comment": "Au projet d’école."}]}


# --- authentication ---------------------------------------------------------------

ENDPOINTS = [
    ("get", "/frameworks/creteil-ecoles/2014"),
    ("get", "/campaigns"),
    ("get", "/assessments"),
    ("get", "/assessments/{id}"),
    ("put", "/assessments/{id}/answers"),
    ("get", "/assessments/{id}/results"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize("header", [None, "Bearer pal_faux", "Bearer ", "Token abc", "Basic ZGFuOng="])
def test_no_or_bad_token_is_401_json_never_a_redirect(client, world, method, path, header):
    before = state()
    response = call(client, world, header, method, path.format(id=world.assessment.pk), body=ONE_ANSWER)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "jeton" in response.json()["detail"]
    assert state() == before


# --- the authorization matrix -------------------------------------------------------

SEE_ECOLE = {
    "admin": 200, "other_admin": 404, "animator": 200, "observer": 200, "head": 200,
    "referent": 200, "member": 200, "other_head": 404, "nobody": 404,
}  # fmt: skip
ANSWER_ECOLE = {**SEE_ECOLE, "admin": 403, "animator": 403, "observer": 403, "member": 403}


@pytest.mark.parametrize("who", USERS)
def test_framework_is_readable_by_anyone_with_a_token(client, world, who):
    response = call(client, world, who, "get", "/frameworks/creteil-ecoles/2014")
    assert response.status_code == 200
    data = response.json()
    assert data["slug"] == "creteil-ecoles" and [lv["number"] for lv in data["levels"]] == [1, 2, 3]
    domain = data["domains"][0]
    assert domain["code"] == "PIL" and domain["components"] == []
    assert domain["criteria"][0] == {
        "code": "PIL.1.1",
        "level": 1,
        "text": "Intégration du numérique au projet d'école comme élément transversal à l'ensemble "
        "des objectifs opérationnels",
        "note": "",
    }
    # The English texts it ships, beside the French ones, which stay the reference.
    english = {
        (t["kind"], t["code"], t["field"]): t["text"] for t in data["translations"] if t["language"] == "en"
    }
    assert english[("criteria", "PIL.1.1", "text")].startswith(
        "Digital technology is part of the school plan"
    )
    missing = call(client, world, who, "get", "/frameworks/creteil-ecoles/1999")
    assert missing.status_code == 404 and missing.json()["detail"] == "Référentiel introuvable."


CAMPAIGNS = {
    "admin": {"ecoles", "etab"},
    "other_admin": {"versailles"},
    "animator": {"ecoles", "etab"},
    "observer": {"ecoles", "etab"},
    "head": {"ecoles", "etab"},
    "referent": {"ecoles", "etab"},
    "member": {"ecoles", "etab"},
    "other_head": {"versailles"},
    "nobody": set(),
}


@pytest.mark.parametrize("who", USERS)
def test_campaigns_in_scope(client, world, who):
    ids = {getattr(world, f"{name}_campaign").pk: name for name in ("ecoles", "etab", "versailles")}
    response = call(client, world, who, "get", "/campaigns")
    assert response.status_code == 200
    assert {ids[c["id"]] for c in response.json()} == CAMPAIGNS[who]


ASSESSMENTS = {
    "admin": {"assessment", "college_assessment", "lycee_assessment"},
    "other_admin": {"other_assessment"},
    "animator": {"assessment"},
    "observer": {"assessment", "college_assessment"},
    "head": {"assessment"},
    "referent": {"assessment"},
    "member": {"assessment"},
    "other_head": {"other_assessment"},
    "nobody": set(),
}


@pytest.mark.parametrize("who", USERS)
def test_assessments_in_scope(client, world, who):
    names = {getattr(world, n).pk: n for n in ASSESSMENTS["admin"] | ASSESSMENTS["other_admin"]}
    response = call(client, world, who, "get", "/assessments")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == len(ASSESSMENTS[who])
    assert {names[item["id"]] for item in data["items"]} == ASSESSMENTS[who]


def test_assessment_list_filters_by_campaign_and_paginates(client, world):
    response = call(client, world, "admin", "get", f"/assessments?campaign={world.etab_campaign.pk}&limit=1")
    data = response.json()
    assert data["count"] == 2 and len(data["items"]) == 1
    item = data["items"][0]
    assert item["campaign"] == world.etab_campaign.pk
    assert item["total_criteria"] == world.etab_campaign.framework.criteria.count()
    assert item["status"] == "brouillon" and item["answered_count"] == 0 and item["revision"] == 1
    assert (item["stage"], item["stage_label"]) == (
        "not_started",
        "non commencé",
    )  # stages.py, as on the pages
    second = call(client, world, "admin", "get", f"/assessments?campaign={world.etab_campaign.pk}&offset=1")
    assert [i["id"] for i in second.json()["items"]] != [item["id"]]
    assert call(client, world, "admin", "get", "/assessments?limit=0").status_code == 422
    assert call(client, world, "admin", "get", "/assessments?campaign=abc").status_code == 422


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("suffix", ["", "/results"])
def test_assessment_detail_and_results_matrix(client, world, who, suffix):
    response = call(client, world, who, "get", f"/assessments/{world.assessment.pk}{suffix}")
    assert response.status_code == SEE_ECOLE[who]
    if response.status_code == 404:
        assert response.json() == {"detail": "Positionnement introuvable dans votre périmètre.", "errors": []}


@pytest.mark.parametrize("who", USERS)
def test_put_answers_matrix(client, world, who):
    before = state()
    response = call(client, world, who, "put", f"/assessments/{world.assessment.pk}/answers", ONE_ANSWER)
    assert response.status_code == ANSWER_ECOLE[who]
    assert response["Content-Type"].startswith("application/json")
    if response.status_code != 200:
        assert response.json()["detail"] and state() == before


# Schools other than the head's: the edges of each scope, for reading and for writing.
SCOPE_EDGES = [
    ("animator", "college_assessment", "get", 404),  # in the département, not in the district
    ("observer", "college_assessment", "get", 200),
    ("observer", "college_assessment", "put", 403),
    ("observer", "lycee_assessment", "get", 404),  # another département
    ("admin", "lycee_assessment", "get", 200),
    ("admin", "lycee_assessment", "put", 403),  # académie staff read
    ("admin", "other_assessment", "get", 404),  # another académie
    ("other_admin", "other_assessment", "get", 200),
    ("other_head", "other_assessment", "put", 200),
    ("head", "other_assessment", "put", 404),
]


@pytest.mark.parametrize(("who", "assessment", "method", "expected"), SCOPE_EDGES)
def test_scope_edges(client, world, who, assessment, method, expected):
    pk = getattr(world, assessment).pk
    path = f"/assessments/{pk}/answers" if method == "put" else f"/assessments/{pk}"
    body = {"answers": [{"criterion": "PIL.1.1", "value": "atteint"}]}
    assert call(client, world, who, method, path, body=body).status_code == expected


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/campaigns"),
        ("delete", "/frameworks/creteil-ecoles/2014"),
        ("post", "/assessments"),
        ("post", "/assessments/{id}"),
        ("delete", "/assessments/{id}"),
        ("get", "/assessments/{id}/answers"),
        ("post", "/assessments/{id}/answers"),
        ("patch", "/assessments/{id}/answers"),
        ("put", "/assessments/{id}/results"),
    ],
)
@pytest.mark.parametrize("who", ["head", None])
def test_wrong_methods_are_405_json(client, world, method, path, who):
    before = state()
    response = call(client, world, who, method, path.format(id=world.assessment.pk), body=ONE_ANSWER)
    assert response.status_code == 405
    assert "non permise" in response.json()["detail"]
    assert response["Allow"]
    assert state() == before


def test_unknown_api_address_is_a_json_404(client, world):
    for path in ("/", "/nope", "/assessments/1/nope/"):
        response = call(client, world, "head", "get", path)
        assert response.status_code == 404, path
        assert response.json()["detail"] == "Adresse inconnue dans l’API."
    response = call(client, world, "head", "get", "/assessments/abc")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "assessment_id", "error": "nombre entier attendu"}]


# --- writing answers ------------------------------------------------------------------


def put(client, world, body=None, raw=None, who="head", assessment=None):
    pk = (assessment or world.assessment).pk
    return call(client, world, who, "put", f"/assessments/{pk}/answers", body=body, raw=raw)


def test_a_successful_put_records_who_when_and_from_where(client, world):
    body = {
        "answers": [
            {"criterion": "PIL.1.1", "value": "atteint", "comment": " Oui. ", "version": 0},
            {"criterion": "PIL.1.2", "value": "en_cours", "evidence_url": "https://exemple.fr/charte"},
        ]
    }
    response = put(client, world, body)
    assert response.status_code == 200
    data = response.json()
    answers = {a["criterion"]: a for a in data["answers"]}
    assert len(answers) == data["total_criteria"] == world.ecoles_campaign.framework.criteria.count()
    assert answers["PIL.1.1"] == {
        "criterion": "PIL.1.1", "value": "atteint", "comment": "Oui.", "evidence_url": "",
        "version": 1, "carried_over": False, "carried_origin": None,
    }  # fmt: skip
    assert answers["PIL.1.3"]["value"] == "non_renseigne" and answers["PIL.1.3"]["version"] == 0
    assert data["answered_count"] == 2 and data["school"]["uai"] == world.ecole.uai
    changes = AnswerChange.objects.filter(assessment=world.assessment)
    assert sorted(changes.values_list("criterion__code", "source", "changed_by", "new_value")) == [
        ("PIL.1.1", "api", world.head.pk, "atteint"),
        ("PIL.1.2", "api", world.head.pk, "en_cours"),
    ]
    # The same answers again: nothing changes, nothing is recorded.
    assert put(client, world, {"answers": [{"criterion": "PIL.1.1", "value": "atteint", "comment": "Oui."}]})
    assert changes.count() == 2
    # Over the version just read: accepted; over the old one: a conflict, nothing written.
    ok = put(client, world, {"answers": [{"criterion": "PIL.1.1", "value": "non_atteint", "version": 1}]})
    assert ok.status_code == 200
    before = state()
    conflict = put(client, world, {"answers": [{"criterion": "PIL.1.1", "value": "en_cours", "version": 1}]})
    assert conflict.status_code == 409
    assert conflict.json()["errors"] == [{"criterion": "PIL.1.1", "error": "conflit : version 2 en base"}]
    assert state() == before


ONE = {"answers": [{"criterion": "PIL.1.2", "value": "atteint"}]}
BAD_BODIES = [
    ({"answers": [{"criterion": "XYZ.9", "value": "atteint"}]}, 422, "XYZ.9", "critère inconnu"),
    ({"answers": [{"criterion": "PIL.1.1", "value": "peut-etre"}]}, 422, "PIL.1.1", "inconnue"),
    (
        {"answers": [ONE["answers"][0], {"criterion": "PIL.1.2", "value": "en_cours"}]},
        422, "PIL.1.2", "deux fois",
    ),
    (
        {"answers": [ONE["answers"][0], {"criterion": "NOPE", "value": "atteint"}]},
        422, "NOPE", "critère inconnu",
    ),
    ({"answers": [{"criterion": "PIL.1.1", "value": "atteint", "evidence_url": "javascript:alert(1)"}]},
     422, "PIL.1.1", "lien"),
    ({"answers": [{"criterion": "PIL.1.1", "value": "atteint", "version": -1}]}, 422, None, "trop petite"),
    ({"answers": [{"criterion": "PIL.1.1"}]}, 422, None, "obligatoire"),
    ({"answers": [{"criterion": "PIL.1.1", "value": "atteint", "couleur": "bleu"}]}, 422, None, "inconnu"),
    ({"answers": "PIL.1.1"}, 422, None, "liste"),
    ({"reponses": []}, 422, None, "obligatoire"),
    ([], 422, None, None),
]  # fmt: skip


@pytest.mark.parametrize(("body", "status", "criterion", "message"), BAD_BODIES)
def test_bad_answers_are_refused_and_nothing_is_written(client, world, body, status, criterion, message):
    put(client, world, {"answers": [{"criterion": "PIL.1.3", "value": "atteint"}]})  # something to keep
    before = state()
    response = put(client, world, body)
    assert response.status_code == status
    data = response.json()
    assert data["detail"] and data["errors"]
    if criterion:
        assert {"criterion": criterion, "error": next(e["error"] for e in data["errors"])} in data["errors"]
    if message:
        assert any(message in e["error"] for e in data["errors"]), data
    assert state() == before


@pytest.mark.parametrize("raw", ["{pas du json", "", "null", '{"answers": [}'])
def test_malformed_json_is_refused(client, world, raw):
    before = state()
    response = put(client, world, raw=raw)
    assert response.status_code in {400, 422}
    assert response.json()["detail"]
    assert state() == before


def test_another_schools_assessment_is_not_found_and_a_submitted_one_is_a_conflict(client, world):
    before = state()
    assert put(client, world, ONE_ANSWER, assessment=world.college_assessment).status_code == 404
    assert put(client, world, ONE_ANSWER, who="other_head").status_code == 404
    submit(world.assessment, world.head)
    response = put(client, world, ONE_ANSWER)
    assert response.status_code == 409 and "soumis" in response.json()["detail"]
    assert state() == before


def test_results(client, world):
    framework = world.ecoles_campaign.framework
    level_one = list(
        framework.criteria.filter(domain__code="PIL", level__number=1).values_list("code", flat=True)
    )
    level_two = framework.criteria.filter(domain__code="PIL", level__number=2).values_list("code", flat=True)
    body = [{"criterion": code, "value": "atteint"} for code in [*level_one, level_two[0]]]
    assert put(client, world, {"answers": body}).status_code == 200
    response = call(client, world, "member", "get", f"/assessments/{world.assessment.pk}/results")
    assert response.status_code == 200
    data = response.json()
    assert (data["assessment"], data["answered"], data["total"]) == (
        world.assessment.pk,
        len(body),
        framework.criteria.count(),
    )
    assert data["overall_level"] == 0  # the other domains are not started
    pil = data["domains"][0]
    assert (pil["code"], pil["level"], pil["components"]) == ("PIL", 1, [])
    assert pil["score"] == pytest.approx(1 + 1 / len(level_two))
    assert pil["levels"][0] == {"level": 1, "met": len(level_one), "total": len(level_one), "fraction": 1.0}
    assert pil["next_steps"] == list(level_two[1:])
    assert [count["level"] for count in data["levels"]] == [1, 2, 3]


# --- schema and docs ------------------------------------------------------------------


def test_openapi_schema_lists_every_endpoint_without_a_token(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "API Paliers"
    # Other apps' endpoints are checked by their own tests.
    assert {(path, method) for path, ops in schema["paths"].items() for method in ops} >= {
        (f"{API}/frameworks/{{slug}}/{{version}}", "get"),
        (f"{API}/campaigns", "get"),
        (f"{API}/assessments", "get"),
        (f"{API}/assessments/{{assessment_id}}", "get"),
        (f"{API}/assessments/{{assessment_id}}/answers", "put"),
        (f"{API}/assessments/{{assessment_id}}/results", "get"),
    }
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


MATRIX_OPERATIONS = {  # covered for every user by the matrix tests above
    ("get", "/frameworks/{slug}/{version}"), ("get", "/campaigns"), ("get", "/assessments"),
    ("get", "/assessments/{assessment_id}"), ("put", "/assessments/{assessment_id}/answers"),
    ("get", "/assessments/{assessment_id}/results"),
}  # fmt: skip


def test_every_endpoint_is_in_an_authorization_matrix(client, db):
    """Each API module's tests declare the operations their matrix tests call for every kind
    of user: a new endpoint fails here until it has its line in one."""
    from . import (
        test_api_accompaniment,
        test_api_caseload,
        test_api_objectives,
        test_api_observatory,
        test_surveys,
    )

    declared = MATRIX_OPERATIONS.union(
        *(m.MATRIX_OPERATIONS for m in (test_api_objectives, test_api_accompaniment, test_surveys,
                                        test_api_observatory, test_api_caseload))
    )  # fmt: skip
    schema = client.get(f"{API}/openapi.json").json()
    operations = {(method, path.removeprefix(API)) for path, ops in schema["paths"].items() for method in ops}
    assert operations == declared


def test_docs_page_loads_nothing_from_another_host(client, db):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert not re.search(r"(src|href)=[\"'](https?:)?//", html)
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise call validator.swagger.io
    assets = re.findall(r"(?:src|href)=\"/static/([^\"]+)\"", html)
    assert len(assets) == 4
    assert all(finders.find(asset) for asset in assets)


def test_an_unexpected_error_is_a_json_500(client, world, monkeypatch):
    def broken(assessment):
        raise RuntimeError("panne")

    monkeypatch.setattr("paliers.assessments.results.assessment_results", broken)
    response = call(client, world, "head", "get", f"/assessments/{world.assessment.pk}/results")
    assert response.status_code == 500
    assert response.json() == {"detail": "Erreur interne du serveur : réessayez plus tard.", "errors": []}


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/assessments?offset=99999999999999999999", "offset"),
        ("/assessments?campaign=9223372036854775808", "campaign"),
        ("/assessments/9223372036854775808", "assessment_id"),
        ("/assessments/0", "assessment_id"),
    ],
)
def test_numbers_beyond_a_database_integer_are_bad_input_not_a_crash(client, world, path, field):
    # Found by schemathesis: such numbers used to overflow in the database (500).
    response = call(client, world, "head", "get", path)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field

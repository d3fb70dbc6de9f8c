"""Every URL pattern × every kind of user: who gets what.

Adding a URL pattern without an entry in MATRIX fails `test_every_url_pattern_has_an_entry`.
Codes: 200 ok, 302 redirect (to the login page for anonymous visitors), 403 forbidden
(read-only or wrong role), 404 outside the scope, 405 wrong method.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from paliers.accounts.models import Membership
from paliers.api.models import ApiToken
from paliers.directory.models import PendingImport
from paliers.frameworks.loading import framework_files, load_specs, parse_files

from .factories import make_world

VISIBLE = {
    "anonymous": 302, "admin": 200, "other_admin": 404, "animator": 200, "observer": 200,
    "head": 200, "referent": 200, "member": 200, "other_head": 404, "nobody": 404,
}  # fmt: skip
INVISIBLE = {"other_admin": 404, "other_head": 404, "nobody": 404, "anonymous": 302}
HEAD_AND_REFERENT = {
    **VISIBLE,
    **dict.fromkeys(["admin", "animator", "observer", "member"], 403),
    **INVISIBLE,
}
HEAD_ONLY = {**HEAD_AND_REFERENT, "referent": 403}
SCHOOL_MEMBERS = {**VISIBLE, **dict.fromkeys(["admin", "animator", "observer"], 403), **INVISIBLE}
ANY_METHOD_BUT = {**dict.fromkeys(VISIBLE, 405), "anonymous": 302}


def assessment_url(name, *extra, submitted=False):
    def build(w):
        from paliers.assessments import answering

        if submitted:
            answering.submit(w.assessment, w.head)
        return reverse(f"assessments:{name}", args=[w.assessment.pk, *extra])

    return build


USERS = [
    "anonymous",
    "admin",
    "other_admin",
    "animator",
    "observer",
    "head",
    "referent",
    "member",
    "other_head",
    "nobody",
]
ANYONE = dict.fromkeys(USERS, 200)
SIGNED_IN = {**ANYONE, "anonymous": 302}
ADMINS_ONLY = {**dict.fromkeys(USERS, 403), "anonymous": 302, "admin": 200, "other_admin": 200}


def school_url(name):
    return lambda w: reverse("directory:detail", args=[getattr(w, name).uai])


def revoke_url(w):
    return reverse("people:revoke", args=[Membership.objects.get(user=w.member).pk])


def token_revoke_url(w):
    return reverse("api_tokens:revoke", args=[ApiToken.issue(w.member, "matrice")[0].pk])


def review_url(w):
    pending = PendingImport.objects.create(content=b"x", filename="a.csv", uploaded_by=w.admin)
    return reverse("directory:import_review", args=[pending.pk])


# name → (url builder, {method: {user: status}})
MATRIX = {
    "home": (lambda w: reverse("home"), {"get": ANYONE, "post": dict.fromkeys(USERS, 405)}),
    "login": (lambda w: reverse("login"), {"get": ANYONE}),
    "logout": (
        lambda w: reverse("logout"),
        {"get": {**dict.fromkeys(USERS, 405), "anonymous": 302}, "post": dict.fromkeys(USERS, 302)},
    ),
    "my_account": (
        lambda w: reverse("my_account"),
        {"get": SIGNED_IN, "post": {**dict.fromkeys(USERS, 405), "anonymous": 302}},
    ),
    "password_change": (lambda w: reverse("password_change"), {"get": SIGNED_IN}),
    "password_change_done": (lambda w: reverse("password_change_done"), {"get": SIGNED_IN}),
    "password_reset": (lambda w: reverse("password_reset"), {"get": ANYONE}),
    "password_reset_done": (lambda w: reverse("password_reset_done"), {"get": ANYONE}),
    "password_reset_confirm": (
        lambda w: reverse("password_reset_confirm", args=["MQ", "faux-jeton"]),
        {"get": ANYONE},
    ),
    "password_reset_complete": (lambda w: reverse("password_reset_complete"), {"get": ANYONE}),
    "frameworks:list": (
        lambda w: reverse("frameworks:list"),
        {"get": ANYONE, "post": dict.fromkeys(USERS, 405)},
    ),
    "frameworks:detail": (
        lambda w: reverse("frameworks:detail", args=["creteil-jalons", "2014"]),
        {"get": ANYONE},
    ),
    "frameworks:yaml": (
        lambda w: reverse("frameworks:yaml", args=["creteil-jalons", "2014"]),
        {"get": ANYONE},
    ),
    "directory:list": (lambda w: reverse("directory:list"), {"get": SIGNED_IN}),
    "directory:detail": (
        school_url("ecole"),
        {
            "get": {
                "anonymous": 302,
                "admin": 200,
                "other_admin": 404,
                "animator": 200,
                "observer": 200,
                "head": 200,
                "referent": 200,
                "member": 200,
                "other_head": 404,
                "nobody": 404,
            },
            "post": {**dict.fromkeys(USERS, 405), "anonymous": 302},
        },
    ),
    "directory:import": (
        lambda w: reverse("directory:import"),
        {"get": ADMINS_ONLY, "post": {**ADMINS_ONLY, "admin": 200, "other_admin": 200}},
    ),
    "directory:import_review": (
        review_url,
        {"get": {**ADMINS_ONLY, "other_admin": 404}},
    ),
    "people:list": (lambda w: reverse("people:list"), {"get": ADMINS_ONLY}),
    "people:invite": (lambda w: reverse("people:invite"), {"get": ADMINS_ONLY, "post": ADMINS_ONLY}),
    "people:invite_heads": (lambda w: reverse("people:invite_heads"), {"get": ADMINS_ONLY}),
    "people:revoke": (
        revoke_url,
        {
            "get": {**dict.fromkeys(USERS, 405), "anonymous": 302},
            "post": {**ADMINS_ONLY, "admin": 302, "other_admin": 404},
        },
    ),
    # Anyone signed in manages their own API tokens (a POST without a name re-renders the form).
    "api_tokens:list": (lambda w: reverse("api_tokens:list"), {"get": SIGNED_IN, "post": SIGNED_IN}),
    "api_tokens:revoke": (
        token_revoke_url,
        {
            "get": {**dict.fromkeys(USERS, 405), "anonymous": 302},
            "post": {**dict.fromkeys(USERS, 404), "anonymous": 302, "member": 302},
        },
    ),
}

MATRIX.update(
    {
        "assessments:campaigns": (lambda w: reverse("assessments:campaigns"), {"get": SIGNED_IN}),
        "assessments:campaign_create": (
            lambda w: reverse("assessments:campaign_create"),
            {"get": ADMINS_ONLY},
        ),
        "assessments:campaign": (lambda w: w.campaign.get_absolute_url(), {"get": VISIBLE}),
        "assessments:detail": (assessment_url("detail"), {"get": VISIBLE, "post": ANY_METHOD_BUT}),
        "assessments:save_answer": (
            assessment_url("save_answer", "PIL.1.1"),
            # Allowed, but an empty form is refused as invalid.
            {"post": {**HEAD_AND_REFERENT, "head": 422, "referent": 422}, "get": ANY_METHOD_BUT},
        ),
        "assessments:history": (assessment_url("history", "PIL.1.1"), {"get": VISIBLE}),
        "assessments:submit": (assessment_url("submit"), {"get": HEAD_ONLY}),
        "assessments:reopen": (
            assessment_url("reopen", submitted=True),
            {"post": {**HEAD_ONLY, "head": 302}, "get": ANY_METHOD_BUT},
        ),
        "assessments:start_from_previous": (
            assessment_url("start_from_previous"),
            {"post": {**HEAD_AND_REFERENT, "head": 302, "referent": 302}},
        ),
        "assessments:revision": (assessment_url("revision", 1, submitted=True), {"get": VISIBLE}),
        "assessments:contribution": (assessment_url("contribution"), {"get": SCHOOL_MEMBERS}),
        "assessments:consensus": (assessment_url("consensus"), {"get": HEAD_AND_REFERENT}),
        "assessments:results": (assessment_url("results"), {"get": VISIBLE}),
    }
)

# A school outside the district but inside the département: the animator may not see it.
EXTRA_CASES = [
    (school_url("college"), "animator", 404),
    (school_url("college"), "observer", 200),
    (school_url("lycee"), "observer", 404),
    (school_url("lycee"), "admin", 200),
    (school_url("other"), "admin", 404),
    (school_url("other"), "other_admin", 200),
]


def url_names(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: checked on its own below
            if str(pattern.pattern).startswith("api/v1/"):
                continue  # the JSON API: its own matrix, per endpoint and token, in test_api.py
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_pattern_has_an_entry():
    assert set(url_names()) - set(MATRIX) == set()
    assert set(MATRIX) - set(url_names()) == set()


@pytest.fixture
def world(db):
    import datetime

    from paliers.assessments.campaigns import open_campaign
    from paliers.frameworks.models import Framework

    load_specs(parse_files([f for f in framework_files() if "jalons" in f.name or "ecoles" in f.name]))
    w = make_world()
    w.campaign = open_campaign(
        framework=Framework.objects.get(slug="creteil-ecoles"),
        school_year="2025-2026",
        academy=w.creteil,
        school_group="ecoles",
        opens_on=datetime.date(2025, 9, 15),
        closes_on=datetime.date(2026, 6, 30),
        user=w.admin,
    )
    w.assessment = w.campaign.assessments.get(school=w.ecole)
    return w


def request_as(client, world, who, method, url):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    return getattr(client, method)(url)


@pytest.mark.parametrize(
    ("name", "method", "who"),
    [
        (name, method, who)
        for name, (_, cases) in MATRIX.items()
        for method, users in cases.items()
        for who in users
    ],
)
def test_matrix(client, world, name, method, who):
    url_for, cases = MATRIX[name]
    response = request_as(client, world, who, method, url_for(world))
    assert response.status_code == cases[method][who]
    if response.status_code == 302 and who == "anonymous" and name not in {"logout"}:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("url_for", "who", "expected"), EXTRA_CASES)
def test_scope_edges(client, world, url_for, who, expected):
    assert request_as(client, world, who, "get", url_for(world)).status_code == expected


def test_django_admin_is_for_staff_only(client, world, django_user_model):
    assert client.get("/admin/").status_code == 302
    client.force_login(world.admin)  # an académie administrator is not Django staff
    assert client.get("/admin/").status_code == 302
    client.force_login(django_user_model.objects.create_superuser("root", password="x" * 12))
    assert client.get("/admin/").status_code == 200

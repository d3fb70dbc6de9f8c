"""No input gives a server error: every URL pattern with hostile path values, every form of
every page with hostile field values, every API operation with hostile path, query and
body values, an unknown Host and oversized bodies. Each answer is below 500, and an answer
in 4xx says what is wrong in French.

The walk takes its pages from the authorization matrix (a valid URL per pattern, and who
may open it), so a new URL pattern or a new form is walked without a line here.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from paliers.api.api import api
from paliers.api.models import ApiToken

from .test_authorization_matrix import MATRIX, make_matrix_world

# The worlds' 2025-2026 campaigns are open that day (conftest.py).
pytestmark = pytest.mark.usefixtures("during_campaign")

# Values a hand or a script may put where an identifier, a code or a number is expected.
HOSTILE_SEGMENTS = {
    "int": ["0", "2147483648", "9223372036854775808", "99999999999999999999999999999"],
    "str": [
        "%00",  # NUL: PostgreSQL refuses it in any text
        "..%2F..%2Fetc%2Fpasswd",
        "%FF%FE",  # not UTF-8
        "0000000X",  # a UAI with a wrong check letter
        "A" * 3000,
        "%3Cscript%3E%27%22",
        "9" * 30,
    ],
}
HOSTILE_SEGMENTS["slug"] = ["a" * 3000, "-", "0"]
HOSTILE_SEGMENTS["path"] = HOSTILE_SEGMENTS["str"]
HOSTILE_VALUES = [
    "pas un nombre",
    "99999999999999999999999999999",
    "-1",
    "1e400",
    "\x00",
    "é" * 5000,
    "2026-02-30",
    "../../etc/passwd",
    "0000000X",
]
ENGLISH = re.compile(
    r"Not Found|Bad Request|Forbidden|Server Error|This field|Enter a |Select a valid|Input should"
    r"|Method Not Allowed|is not a valid|Ensure this value|matches the given query"
)
# French words every French sentence has one of (Django's English pages have none).
FRENCH = re.compile(
    r"\b(?:le|la|les|de|des|du|une?|est|pas|vous|votre|cette|dans|pour|aux?|ou|introuvable|inconnue?)\b"
    r"|[éèêàùç]",
    re.IGNORECASE,
)


@pytest.fixture
def world(db):
    return make_matrix_world()


# Users tried in this order: the first that the matrix lets open a page opens it. (The
# observer only reads, and the référent's forms are the head's.)
WALKERS = ["admin", "head", "animator", "member", "anonymous"]


def french_message(response):
    """A 4xx answer says what is wrong, in French (HTML page, form errors, or JSON detail)."""
    body = response.content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.loads(body).get("detail", "")
    return bool(FRENCH.search(body)) and not ENGLISH.search(body)


class Walk:
    """Sends requests, each in a savepoint, and keeps what went wrong."""

    def __init__(self):
        self.failures, self.requests = [], 0

    def send(self, client, method, url, **kwargs):
        self.requests += 1
        try:
            with transaction.atomic():
                response = getattr(client, method)(url, **kwargs)
        except Exception as error:
            self.failures.append(f"{method.upper()} {url[:200]} : {type(error).__name__}: {error}"[:400])
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {url[:200]} : {response.status_code}")
        elif response.status_code >= 400 and not french_message(response):
            self.failures.append(
                f"{method.upper()} {url[:200]} : {response.status_code} sans message en français"
            )
        return response

    def check(self):
        assert self.requests > 0
        assert not self.failures, "\n".join(self.failures[:60]) + f"\n({len(self.failures)} en tout)"


def patterns(resolvers=None, prefix=""):
    """(route with its converters, name) of every URL pattern but Django's admin."""
    for pattern in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                yield from patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def walker(client, w, name):
    """Signs `client` in as the first user the matrix lets use the page `name`; the methods
    that user may use (none when the matrix names no such page)."""
    if name not in MATRIX:
        return []
    _, cases = MATRIX[name]
    for who in WALKERS:
        methods = [m for m, users in cases.items() if users.get(who) not in (None, 302, 403, 404, 405)]
        if methods:
            client.logout()
            if who != "anonymous":
                client.force_login(getattr(w, who))
            return methods
    return []


def route_with(route, values):
    """A route's converters replaced by raw values (already URL-encoded where needed)."""
    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: values[m.group(2)], route)


@pytest.mark.django_db
def test_every_url_pattern_with_hostile_path_values(world):
    walk, client = Walk(), Client(raise_request_exception=True)
    for route, pattern in patterns():
        converters = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        if not converters or route.startswith("api/"):
            continue  # the API: test_every_api_operation_with_hostile_values
        name = _full_name(route, pattern)
        url_for = MATRIX.get(name, (None,))[0]
        methods = walker(client, world, name)
        valid = resolve(urlsplit(url_for(world)).path).kwargs if url_for else {}
        for kind, param in converters:
            for hostile in HOSTILE_SEGMENTS[kind or "str"]:
                values = {key: quote(str(value), safe="") for key, value in valid.items()}
                values = {p: values.get(p, "1") for _, p in converters} | {param: hostile}
                url = route_with(route, values)
                for method in methods or ["get"]:
                    walk.send(client, method, url)
    walk.check()


def _full_name(route, pattern):
    """The matrix's name of a pattern ("namespace:name"), found by resolving its route."""
    probe = route_with(route, dict.fromkeys(re.findall(r"<(?:\w+:)?(\w+)>", route), "1"))
    try:
        return resolve(probe).view_name
    except Exception:
        return pattern.name


class Forms(HTMLParser):
    """The forms of a page: action, method and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self.forms.append({"action": attrs.get("action") or "", "method": method, "fields": {}})
        elif tag in {"input", "select", "textarea", "button"} and self.forms and attrs.get("name"):
            self.forms[-1]["fields"].setdefault(attrs["name"], attrs.get("value") or "")


def forms_of(response):
    parser = Forms()
    parser.feed(response.content.decode("utf-8", "replace"))
    return parser.forms


def hostile_data(fields, value):
    return {name: (keep if name in {"csrfmiddlewaretoken"} else value) for name, keep in fields.items()}


@pytest.mark.django_db
def test_every_form_with_hostile_values(world):
    walk, client = Walk(), Client(raise_request_exception=True)
    seen = set()
    for name, (url_for, cases) in MATRIX.items():
        readers = [who for who in WALKERS if cases.get("get", {}).get(who) == 200]
        if name == "logout" or not readers:
            continue
        url = url_for(world)
        for who in readers:
            client.logout()
            if who != "anonymous":
                client.force_login(getattr(world, who))
            page = walk.send(client, "get", url)
            if page is None or page.status_code != 200 or "html" not in page.get("Content-Type", ""):
                continue
            for form in forms_of(page):
                action = urljoin(url, form["action"]).split("#")[0]  # « #ecoles »: the page itself
                target = resolve(urlsplit(action).path).view_name
                # A form once per view and set of fields: the first user who sees it posts to it.
                key = (target, form["method"], tuple(sorted(form["fields"])))
                if key in seen or target == "logout":
                    continue
                seen.add(key)
                _post_hostile(walk, client, form, action)
    print(len(seen), "formulaires", walk.requests, "requêtes")
    walk.check()


def _post_hostile(walk, client, form, action):
    fields = form["fields"] or {"q": ""}
    for value in HOSTILE_VALUES:
        data = hostile_data(fields, value)
        if form["method"] == "post":
            walk.send(client, "post", action, data=data)
        else:
            walk.send(client, "get", action + ("&" if "?" in action else "?") + urlencode(data))
    if form["method"] == "post":
        walk.send(client, "post", action, data={})  # every field missing


@pytest.fixture
def api_key(world):
    return ApiToken.issue(world.admin, "marche")[1], ApiToken.issue(world.head, "marche")[1]


HOSTILE_BODIES = [
    b"pas du json",
    b"[]",
    b'{"answers": "texte"}',
    b'{"answers": [{"criterion": null, "value": 99999999999999999999999}]}',
    json.dumps({"title": "\x00", "domain": "\x00", "level": 10**30, "framework": "../x/1"}).encode(),
    b"[" * 5000 + b"]" * 5000,
    json.dumps({"x": "é" * 100}).encode(),
]


@pytest.mark.django_db
def test_every_api_operation_with_hostile_values(world, api_key):
    walk, client = Walk(), Client(raise_request_exception=True)
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            in_query = [p["name"] for p in params if p["in"] == "query"]
            for key in api_key:
                headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
                for hostile in HOSTILE_SEGMENTS["str"] + HOSTILE_SEGMENTS["int"]:
                    url = re.sub(r"\{(\w+)\}", hostile, path)
                    walk.send(client, method, url, **headers)
                valid = re.sub(r"\{(\w+)\}", "1", path)
                for value in HOSTILE_VALUES:
                    query = urlencode(dict.fromkeys(in_query, value))
                    walk.send(client, method, f"{valid}?{query}", **headers)
                if method in {"post", "put", "patch"}:
                    for body in HOSTILE_BODIES:
                        json_body = {"data": body, "content_type": "application/json"}
                        walk.send(client, method, valid, **json_body, **headers)
    walk.check()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/annuaire/", "/q/", "/api/v1/campaigns", "/comptes/connexion/"])
def test_an_unknown_host_is_a_400_in_french(client, path):
    response = client.get(path, HTTP_HOST="site-inconnu.example")
    assert response.status_code == 400 and french_message(response)
    assert "Requête incorrecte" in response.content.decode()


@pytest.mark.django_db
def test_the_health_check_answers_a_load_balancer_probing_by_address(client):
    response = client.get("/sante/", HTTP_HOST="10.0.0.5:8001")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert client.post("/sante/", HTTP_HOST="10.0.0.5:8001").status_code == 400  # only the check


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/annuaire/importer/", "/positionnements/1/importer/", "/api/v1/assessments/1/answers"]
)
def test_a_body_over_the_largest_upload_is_refused_before_it_is_read(client, settings, path):
    class Unreadable:
        def read(self, *args):
            raise AssertionError("le corps a été lu")

        readline = read

    too_large = {"CONTENT_LENGTH": str(settings.MAX_REQUEST_BYTES + 1), "wsgi.input": Unreadable()}
    response = client.generic("POST", path, data=b"", **too_large)
    assert response.status_code == 413 and french_message(response)
    assert client.generic("POST", path, data=b"", CONTENT_LENGTH="abc").status_code == 400


def test_the_largest_request_is_the_largest_upload_and_its_form():
    from django.conf import settings

    from paliers.core.xlsx import MAX_UPLOAD_BYTES as spreadsheet
    from paliers.directory.imports import MAX_UPLOAD_BYTES as annuaire

    assert max(annuaire, spreadsheet) < settings.MAX_REQUEST_BYTES <= max(annuaire, spreadsheet) + 2**20
    deployment = (Path(__file__).parent.parent / "docs" / "deployment.md").read_text()
    assert f"client_max_body_size {settings.MAX_REQUEST_BYTES // 2**20}m;" in deployment


@pytest.mark.django_db
def test_a_json_body_over_djangos_limit_is_a_413_in_the_api(world, api_key):
    body = json.dumps({"answers": [{"criterion": "x" * 100, "value": "atteint"}] * 30000})
    response = Client().put(
        "/api/v1/assessments/1/answers", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_key[1]}",
    )  # fmt: skip
    assert response.status_code == 413 and french_message(response)


@pytest.mark.django_db
def test_a_nul_character_in_the_address_is_a_400(client):
    for url in ["/annuaire/%00/", "/q/?code=%00", "/api/v1/schools/%00/objectives"]:
        response = client.get(url)
        expected = 422 if url.startswith("/api/") else 400  # the API's documented code for bad input
        assert response.status_code == expected and french_message(response)


@pytest.mark.django_db
def test_a_bad_uai_in_the_observatory_is_a_french_4xx_or_a_message(client, world):
    client.force_login(world.admin)
    for uai in ("0000000X", "..%2F..%2Fetc", "%3Cscript%3E", "9" * 40):
        response = client.get(f"/observatoire/ecoles/{uai}/")
        assert response.status_code == 404 and french_message(response)
    # The finder searches names, UAI and communes: anything typed is a search, said in French.
    for typed in ("0000000X", "../../etc/passwd", "<script>"):
        response = client.get("/observatoire/ecoles/", {"q": typed})
        assert response.status_code == 200
        page = response.content.decode()
        assert "ne correspond à" in page and "<script>" not in page.split("<main")[1].split("</main>")[0]


def query_parameters():
    """Every query parameter a view reads by name (request.GET["x"], .get("x"), .getlist("x"))."""
    names = set()
    for source in (Path(__file__).parent.parent / "paliers").rglob("*.py"):
        names |= set(re.findall(r"request\.GET(?:\.get|\.getlist)?[\[(]\"(\w+)\"", source.read_text()))
    return sorted(names)


@pytest.mark.django_db
def test_every_page_with_hostile_query_parameters(world):
    """Parameters read outside any form (a page number, a campaign, a filter from a link)."""
    names = query_parameters()
    assert {"page", "campagne", "uai"} <= set(names)
    walk, client = Walk(), Client(raise_request_exception=True)
    for name, (url_for, cases) in MATRIX.items():
        readers = [who for who in WALKERS if cases.get("get", {}).get(who) == 200]
        if name == "logout" or not readers:
            continue
        who, url = readers[0], url_for(world)
        client.logout()
        if who != "anonymous":
            client.force_login(getattr(world, who))
        for value in HOSTILE_VALUES:
            query = urlencode(dict.fromkeys(names, value))
            walk.send(client, "get", url + ("&" if "?" in url else "?") + query)
    walk.check()

"""Walking through a sign-in as a browser would, without one: Django's test client on the
Paliers side, a requests session on the provider's side (real HTTP to its process)."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

SITE = "http://testserver"


def local_path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def follow_provider(session, url, base):
    """Follow the provider's redirects until it sends the browser back to Paliers."""
    response = None
    for _ in range(10):
        if url.startswith(SITE):
            return url, response
        response = session.get(urljoin(base, url), allow_redirects=False, timeout=10)
        if response.status_code not in (301, 302, 303, 307):
            return None, response
        url = urljoin(base, response.headers["location"])
    raise AssertionError("trop de redirections chez le fournisseur")


def oidc_sign_in(client, provider, login, *, slug="proconnect", action="login", start_query=""):
    """Start at Paliers, sign in (or cancel) at the provider; the provider's redirect back,
    not yet followed: (callback path, provider session)."""
    start = client.get(f"/comptes/connexion/oidc/{slug}/{start_query}")
    assert start.status_code == 302, start.content.decode()[:500]
    session = requests.Session()
    back, page = follow_provider(session, start["Location"], provider.url)
    assert back is None and "Fournisseur d’identité de test" in page.text
    interaction = page.url
    response = session.post(
        f"{interaction}/{action}", data={"login": login}, allow_redirects=False, timeout=10
    )
    back, page = follow_provider(session, response.headers["location"], provider.url)
    assert back, page.text[:500]
    return local_path(back), session


def authorization_params(provider):
    return next(e["query"] for e in reversed(provider.log()) if e["path"] == "/auth")


class FormReader(HTMLParser):
    """The inputs of the first form of a page: {name: value}."""

    def __init__(self):
        super().__init__()
        self.fields, self.action, self.forms = {}, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms += 1
            if self.forms == 1:
                self.action = attrs.get("action")
        if tag == "input" and self.forms == 1 and attrs.get("name"):
            if attrs.get("type") == "checkbox" and "checked" not in attrs:
                return
            self.fields[attrs["name"]] = attrs.get("value") or ""


def cas_sign_in(client, cas, login, password):
    start = client.get("/comptes/connexion/cas/")
    assert start.status_code == 302 and start["Location"].startswith(cas.url)
    session = requests.Session()
    page = session.get(start["Location"], timeout=10)
    form = FormReader()
    form.feed(page.text)
    data = {**form.fields, "username": login, "password": password}
    response = session.post(
        urljoin(page.url, form.action or page.url), data=data, allow_redirects=False, timeout=10
    )
    assert response.status_code in (302, 303), response.text[:800]
    back = response.headers["location"]
    assert back.startswith(SITE) and "ticket" in parse_qs(urlsplit(back).query), back
    return local_path(back), session

"""Every page a user reaches by following links: for the tests that look at all of them
(the school words, the tables; later every role's pages).

`crawl(client)` starts at the home page and follows the links of each HTML page, GET
only, on this site: never the admin, the API, static files or signing out, and at most
`per_route` addresses per URL pattern (the directory's thousand schools are one page
kind). Yields (path, response) for each page in the order found."""

import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

LINK = re.compile(r"""<a\b[^>]*?\bhref=["']([^"'#]+)["']""", re.IGNORECASE)
NEVER = ("/admin/", "/api/", "/static/", "/comptes/deconnexion/", "/media/")
# Downloads and pages that start work: read by their own tests, not by a crawl.
SKIPPED_ROUTES = {"logout"}


def page_links(html, base):
    for href in LINK.findall(html):
        url = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if url.netloc and url.netloc not in ("testserver", "localhost"):
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not path.startswith("/") or path.startswith(NEVER):
            continue
        yield path


def route_of(path):
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client, start="/", per_route=2, limit=400, follow_downloads=False):
    seen, counts, queue = {start}, Counter(), deque([start])
    while queue and len(seen) <= limit:
        path = queue.popleft()
        response = client.get(path)
        yield path, response
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        for link in page_links(response.content.decode(), path):
            route = route_of(link)
            if link in seen or route is None or route in SKIPPED_ROUTES:
                continue
            if not follow_downloads and _download(link):
                continue
            if counts[route] >= per_route:
                continue
            counts[route] += 1
            seen.add(link)
            queue.append(link)


def _download(path):
    """PDF, spreadsheets and CSV files: links that open no page."""
    lowered = path.lower()
    return any(
        part in lowered for part in (".pdf", ".xlsx", ".csv", ".zip", "format=csv", "/telecharger", "/export")
    )

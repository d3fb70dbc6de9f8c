"""Every page, for every role, at 1280 and 360 px: axe-core (the conftest's check), no
content wider than the screen outside a scrolling region, and no chart's words under 10 px.

Built over the authorization matrix: every URL pattern has an entry there (a pattern
without one fails tests/test_authorization_matrix.py), and every pattern that some role
may GET as a page is visited here by each role that may; a pattern so visited by nobody
fails `test_every_page_pattern_is_crawled`. Downloads (CSV, PDF, XLSX, JSON, SVG) are
checked by their own tests, not here.
"""

import time

import pytest
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.test_authorization_matrix import MATRIX, world  # noqa: F401 (the fixture)

# The matrix world's campaigns are open that day (a closed campaign's revision page is
# not built, its positionings being read-only): the server's clock travels there.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("during_campaign")]

ROLES = ["anonymous", "admin", "animator", "observer", "head", "referent", "member"]
WIDTHS = (1280, 360)
# Patterns that are not pages a person reads: the API docs' own UI and Django's admin.
NOT_PAGES = {"api-1.0.0:openapi-json", "api-1.0.0:openapi-view"}


def page_patterns():
    """(name, role) pairs: every matrix entry a role may GET with a 200."""
    return [
        (name, who)
        for name, (_, cases) in MATRIX.items()
        if name not in NOT_PAGES
        for who in ROLES
        if cases.get("get", {}).get(who) == 200
    ]


def creates_a_version(builder):
    return builder.__qualname__.startswith("crosswalk_url")


def sign_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def goto(page, url):
    """page.goto, tried again once on an unreadable response: the test server once answered a
    PDF download so, in a run where the same download read fine before and after."""
    try:
        return page.goto(url)
    except PlaywrightError as error:
        if "ERR_INVALID_HTTP_RESPONSE" not in str(error):
            raise
        page.wait_for_timeout(500)
        return page.goto(url)


def fits_the_screen(page):
    """Nothing wider than the viewport, unless inside a region that scrolls on its own; every
    disclosure (<details>) opened first, since what it hides is laid out only once open."""
    return page.evaluate(
        """() => {
            document.querySelectorAll('details').forEach(d => { d.open = true; });
            const width = window.innerWidth;
            if (document.documentElement.scrollWidth > width + 1) {
                const culprits = [...document.querySelectorAll('body *')].filter(e => {
                    const box = e.getBoundingClientRect();
                    if (box.right <= width + 1) return false;
                    for (let p = e.parentElement; p; p = p.parentElement) {
                        const style = getComputedStyle(p);
                        if (['auto', 'scroll'].includes(style.overflowX) && p.tabIndex >= 0) return false;
                        if (style.overflowX === 'hidden') return false;
                    }
                    return true;
                });
                return culprits.slice(0, 3).map(e => e.tagName + '.' + e.className);
            }
            return [];
        }"""
    )


def small_chart_words(page, minimum=10):
    """Charts whose smallest word prints under `minimum` px: a chart shrunk to a phone's
    width (its region should scroll instead, chart_region)."""
    return page.evaluate(
        """(minimum) => [...document.querySelectorAll('svg[role=img]')].flatMap(svg => {
            const scale = svg.getScreenCTM()?.a ?? 1;
            const sizes = [...svg.querySelectorAll('text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
            const smallest = Math.min(...sizes);
            const name = (svg.getAttribute('aria-labelledby') || '').split(' ')[0];
            return smallest < minimum ? [`${name} ${smallest.toFixed(1)} px`] : [];
        })""",
        minimum,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_of_every_role_passes_axe_and_fits(new_checked_page, world, live_server, width):  # noqa: F811
    started, visited, problems = time.monotonic(), set(), []
    urls, unbuilt = {}, {}
    by_role = {}
    for name, who in page_patterns():
        by_role.setdefault(who, []).append(name)
    # Every URL first, in one world: the crosswalk builders last, since the version they
    # load would make the others' « the jalons » ambiguous.
    for name in sorted({n for n, _ in page_patterns()}, key=lambda n: creates_a_version(MATRIX[n][0])):
        try:
            urls[name] = MATRIX[name][0](world)
        except Exception as error:  # reported below, by pattern
            unbuilt[name] = f"{type(error).__name__}: {error}"
    for who, names in by_role.items():
        checked_page = new_checked_page({"width": width, "height": 900})
        if who != "anonymous":
            sign_in(checked_page.page.context, live_server, getattr(world, who))
        for name in names:
            if name not in urls:
                continue
            url = urls[name]
            try:
                response = goto(checked_page.page, live_server.url + url)
            except PlaywrightError as error:
                if "Download is starting" not in str(error):
                    raise
                response = None
            if response is None or not response.headers.get("content-type", "").startswith("text/html"):
                # A download or a JSON document: not a page for axe; its own tests read it.
                checked_page.checked.add(checked_page.page.url)
                visited.add(name)
                continue
            try:
                checked_page.check()
            except AssertionError as failure:
                problems.append(f"{who} {url}: {failure}")
                checked_page.checked.add(checked_page.page.url)  # reported once, here
                continue
            wide = fits_the_screen(checked_page.page)
            if wide:
                # Measured again once the DSFR's scripts have settled: the header's language
                # menu was seen, once in a run, beyond the edge for the moment of its set-up.
                checked_page.page.wait_for_timeout(500)
                wide = fits_the_screen(checked_page.page)
            if wide:
                problems.append(f"{who} {url} à {width} px : contenu plus large que l’écran {wide}")
            small = small_chart_words(checked_page.page)
            if small:
                problems.append(f"{who} {url} à {width} px : texte de graphique trop petit {small}")
            visited.add(name)
    missing = {name for name, _ in page_patterns()} - visited
    problems += [f"motif non visité : {name} {unbuilt.get(name, '')}" for name in sorted(missing)]
    elapsed = time.monotonic() - started
    print(f"{len(visited)} motifs, {len(page_patterns())} pages par largeur, {elapsed:.0f} s à {width} px")
    assert not problems, "\n".join(problems[:20])


def test_every_page_pattern_is_crawled():
    """Each matrix entry that some role may GET is in the crawl (a new page joins it by its
    matrix row); those none may GET are actions (POST), not pages."""
    crawled = {name for name, _ in page_patterns()}
    pages = {name for name, (_, cases) in MATRIX.items() if 200 in cases.get("get", {}).values()}
    assert pages - NOT_PAGES <= crawled
    assert len(crawled) > 50

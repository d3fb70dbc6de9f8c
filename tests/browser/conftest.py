"""Browser tests: Playwright drives Debian's Chromium; axe-core checks every page visited.

A page that loads during a test without being checked fails the test, so that no page
escapes the accessibility check.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests and
# the live server make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("PALIERS_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Chromium's own background traffic is refused on a closed network; keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : installez le paquet Debian chromium.")
    if not AXE.exists():
        pytest.fail(f"axe-core introuvable ({AXE}) : lancez « npm ci ».")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class CheckedPage:
    """A Playwright page whose every loaded document must pass axe-core."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.loaded, self.checked = [], set()
        page.on("load", lambda loaded_page: self.loaded.append(loaded_page.url))

    def visit(self, path):
        response = self.page.goto(self.base_url + path)
        self.check()
        return response

    def check(self):
        self.page.wait_for_load_state("load")
        violations = self.page.evaluate(
            """async () => {
                const results = await axe.run(document);
                return results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + n.failureSummary),
                }));
            }"""
        )
        self.checked.add(self.page.url)
        blocked = self.page.evaluate("() => window.__paliersCspViolations || []")
        assert not blocked, f"Content-Security-Policy : refus sur {self.page.url} : {blocked}"
        assert not violations, f"axe-core : violations sur {self.page.url}\n" + "\n".join(
            f"- {v['id']} ({v['impact']}) : {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations
        )

    def unchecked_pages(self):
        return [url for url in self.loaded if url not in self.checked]


@pytest.fixture
def new_checked_page(browser, live_server):
    """A factory of checked pages, each in its own browser context (its own session)."""
    opened = []

    def new(viewport=None):
        context = browser.new_context(locale="fr-FR", viewport=viewport or {"width": 1280, "height": 900})
        context.add_init_script(path=str(AXE))
        # Anything the Content-Security-Policy blocks (an inline style, a script) fails the test.
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', (e) => {"
            " (window.__paliersCspViolations = window.__paliersCspViolations || [])"
            ".push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')); });"
        )
        page = CheckedPage(context.new_page(), live_server.url)
        opened.append((context, page))
        return page

    yield new
    unchecked = [url for _, page in opened for url in page.unchecked_pages()]
    for context, _ in opened:
        context.close()
    assert not unchecked, f"pages visitées sans contrôle axe-core : {unchecked}"


@pytest.fixture
def checked_page(new_checked_page):
    return new_checked_page()


def tab_to(page, selector, limit=200):
    """Press Tab until `selector` has the focus: proof that the keyboard reaches it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} n’est pas atteignable au clavier")

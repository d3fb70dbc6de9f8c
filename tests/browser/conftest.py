"""Browser tests: Playwright drives Debian's Chromium; axe-core checks every page visited.

A page that loads during a test without being checked fails the test, so that no page
escapes the accessibility check.
"""

import os
import re
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

    def __init__(self, page, base_url, javascript=True):
        self.page = page
        self.base_url = base_url
        self.javascript = javascript
        self._checker = None  # a page with JavaScript, where axe checks a page served without
        self.loaded, self.checked = [], set()
        page.on("load", lambda loaded_page: self.loaded.append(loaded_page.url))

    def visit(self, path):
        response = self.page.goto(self.base_url + path)
        self.check()
        return response

    def check(self):
        self.page.wait_for_load_state("load")
        if not self.javascript:
            return self._check_without_javascript()
        self._run_axe(self.page, self.page.url)
        self.checked.add(self.page.url)
        blocked = self.page.evaluate("() => window.__paliersCspViolations || []")
        assert not blocked, f"Content-Security-Policy : refus sur {self.page.url} : {blocked}"

    @staticmethod
    def _run_axe(page, url):
        violations = page.evaluate(
            """async () => {
                const results = await axe.run(document);
                return results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " — " + n.failureSummary),
                }));
            }"""
        )
        assert not violations, f"axe-core : violations sur {url}\n" + "\n".join(
            f"- {v['id']} ({v['impact']}) : {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations
        )

    def _check_without_javascript(self):
        """The document as served to a browser without JavaScript, checked by axe-core in a
        page that runs scripts: the same HTML and address (its style sheets load as they
        did), its own scripts taken out."""
        html = re.sub(r"<script\b.*?</script>", "", self.page.content(), flags=re.DOTALL)
        if self._checker is None:
            context = self.page.context.browser.new_context(locale="fr-FR", viewport=self.page.viewport_size)
            context.add_init_script(path=str(AXE))
            self._checker = context.new_page()
        url = self.page.url.split("#")[0]
        self._checker.route(
            url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8")
        )
        try:
            self._checker.goto(url)
            self._run_axe(self._checker, self.page.url)
        finally:
            self._checker.unroute(url)
        self.checked.add(self.page.url)

    def close(self):
        if self._checker is not None:
            self._checker.context.close()

    def unchecked_pages(self):
        return [url for url in self.loaded if url not in self.checked]


@pytest.fixture
def new_checked_page(browser, live_server):
    """A factory of checked pages, each in its own browser context (its own session)."""
    opened = []

    def new(viewport=None, javascript=True):
        context = browser.new_context(
            locale="fr-FR",
            viewport=viewport or {"width": 1280, "height": 900},
            java_script_enabled=javascript,
        )
        context.add_init_script(path=str(AXE))
        # Anything the Content-Security-Policy blocks (an inline style, a script) fails the test.
        context.add_init_script(
            "document.addEventListener('securitypolicyviolation', (e) => {"
            " (window.__paliersCspViolations = window.__paliersCspViolations || [])"
            ".push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')); });"
        )
        page = CheckedPage(context.new_page(), live_server.url, javascript)
        opened.append((context, page))
        return page

    yield new
    unchecked = [url for _, page in opened for url in page.unchecked_pages()]
    for context, page in opened:
        page.close()
        context.close()
    assert not unchecked, f"pages visitées sans contrôle axe-core : {unchecked}"


@pytest.fixture
def checked_page(new_checked_page):
    return new_checked_page()


def tab_to(page, selector, limit=200):
    """Press Tab until `selector` (a CSS selector, or a Playwright locator of one element)
    has the focus: proof that the keyboard reaches it, and that the user sees where it is."""

    def focused():
        if isinstance(selector, str):
            return page.evaluate(
                "(s) => document.activeElement && document.activeElement.matches(s)", selector
            )
        return selector.evaluate("(element) => element === document.activeElement")

    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused():
            assert_focus_visible(page)
            return
    raise AssertionError(f"{selector} n’est pas atteignable au clavier")


# Where the focus is drawn: the DSFR outlines `:focus-visible` (2 px, offset 2 px); a radio
# button or a checkbox is drawn by its label, and its outline is on the label's ::before.
FOCUS_RING = r"""() => {
    const focused = document.activeElement;
    if (!focused || focused === document.body) return {where: "nulle part"};
    const drawn = (node, pseudo) => {
        const style = getComputedStyle(node, pseudo);
        const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
            && style.outlineColor !== "transparent" && style.outlineColor !== "rgba(0, 0, 0, 0)";
        // An inset shadow is the DSFR's underline of fields, there with or without the focus.
        const shadow = style.boxShadow !== "none"
            && style.boxShadow.split(/,(?![^(]*\))/).some(s => !s.includes("inset"));
        const box = node.getBoundingClientRect();
        return (outline || shadow) && box.width > 0 && box.height > 0 && style.visibility !== "hidden";
    };
    const bearers = [[focused, null]];
    if (focused.matches("input[type=radio], input[type=checkbox]") && focused.labels) {
        for (const label of focused.labels) bearers.push([label, "::before"], [label, null]);
    }
    const describe = focused.outerHTML.slice(0, 160);
    return {where: describe, visible: bearers.some(([node, pseudo]) => drawn(node, pseudo))};
}"""


def assert_focus_visible(page):
    """The focused element shows a focus ring (RGAA 10.7): an outline or an outer shadow,
    on it or, for a radio button or a checkbox, on its label."""
    focus = page.evaluate(FOCUS_RING)
    assert focus.get("visible"), f"focus invisible : {focus['where']}"

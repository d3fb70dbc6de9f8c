import pytest

from paliers.core.accessibility import shipped_audit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 360])
def test_the_statement_is_reached_from_the_footer_and_readable(new_checked_page, db, width):
    checked_page = new_checked_page({"width": width, "height": 900})
    page = checked_page.page
    checked_page.visit("/")
    with page.expect_navigation():
        page.get_by_role("link", name=f"Accessibilité : {shipped_audit().state_label}").click()
    checked_page.check()
    assert page.locator("h1").inner_text() == "Déclaration d’accessibilité"
    # The audit grid's tables scroll inside their own regions: the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.get_by_role("region", name="Thème 13 : Consultation, résultat par critère").is_visible()

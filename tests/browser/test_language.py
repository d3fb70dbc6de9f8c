import pytest

from tests.factories import make_world

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 360])
def test_the_language_switch_turns_the_interface_english_and_back(new_checked_page, db, width):
    checked_page = new_checked_page({"width": width, "height": 900})
    page = checked_page.page
    checked_page.visit("/referentiels/")
    if width < 992:  # on a phone the header's tools sit in the menu
        page.get_by_role("button", name="Menu").first.click()
    menu = page.locator(".fr-translate__btn:visible").first
    menu.click()
    with page.expect_navigation():
        page.locator("button[lang=en]:visible").first.click()
    checked_page.check()
    assert page.url.endswith("/referentiels/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Digital maturity frameworks"
    # Remembered: another page is English too; and back to French the same way.
    checked_page.visit("/donnees-personnelles/")
    assert page.locator("h1").inner_text() == "Personal data"
    if width < 992:
        page.get_by_role("button", name="Menu").first.click()
    page.locator(".fr-translate__btn:visible").first.click()
    with page.expect_navigation():
        page.locator("button[lang=fr]:visible").first.click()
    checked_page.check()
    assert page.locator("h1").inner_text() == "Données personnelles"


def test_the_switch_is_reached_and_used_with_the_keyboard_alone(checked_page, db):
    from tests.browser.conftest import tab_to

    make_world()
    page = checked_page.page
    checked_page.visit("/")
    tab_to(page, ".fr-translate__btn")
    page.keyboard.press("Enter")
    assert page.locator(".fr-translate__btn").first.get_attribute("aria-expanded") == "true"
    # As a person waits for the menu to open: a Tab during its opening transition skips its
    # still hidden buttons, and the DSFR closes a menu the focus leaves (seen once under load).
    page.locator("button[lang=en]").first.wait_for(state="visible")
    tab_to(page, "button[lang=en]")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.locator("html").get_attribute("lang") == "en"

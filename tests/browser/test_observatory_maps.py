"""The observatory's maps in Chromium at 1280 and 360 pixels, every page checked by axe-core:
the inspectrice opens the map of France, follows the table's link to Val-de-Marne with the
keyboard, and reads its schools' points beside the table."""

import pytest

from ..observatory_world import make_observatory_world
from .conftest import tab_to
from .test_assessment import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    w = make_observatory_world()
    for school, place in ((w.ecole, (48.7511, 2.3236)), (w.a, (48.76, 2.33)), (w.c, (48.79, 2.39))):
        school.latitude, school.longitude = place
        school.save()
    return w


@pytest.mark.parametrize("width", [1280, 360])
def test_the_maps_with_the_keyboard(new_checked_page, world, width):
    observer = new_checked_page(viewport={"width": width, "height": 900})
    page = observer.page
    sign_in(observer, "inspectrice")
    observer.visit("/observatoire/carte/")
    assert page.get_by_role(
        "img", name="Carte de France : part des positionnements soumis par département"
    ).count()
    assert page.get_by_role("table", name="Données de la carte : Part des positionnements soumis").count()
    # The page itself never scrolls sideways: the map scrolls in its own region.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    tab_to(page, 'a[href^="/observatoire/carte/094/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    observer.check()
    assert page.get_by_role("img", name="Carte des écoles : Val-de-Marne (094)").count()  # participation
    assert page.locator("svg circle title").count() == 3  # the three placed écoles
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    page.get_by_label("Indicateur").select_option("PIL")
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()
    observer.check()
    assert "indicateur=PIL" in page.url
    tab_to(page, f'a[href="/observatoire/ecoles/{world.ecole.uai}/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    observer.check()
    assert "Écoles semblables" in page.content()

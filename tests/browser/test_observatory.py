"""The observatory's pages, the roadmap editor and an indicator page in Chromium, every page
checked by axe-core: an animator and an observer look at their scope; the académie's
administrator writes an axis and a computed indicator with the keyboard, then reads it."""

import pytest
from playwright.sync_api import expect

from paliers.roadmap.models import Axis, Indicator, Roadmap

from ..observatory_world import make_observatory_world
from .conftest import tab_to
from .test_assessment import sign_in

# The 2025-2026 campaigns they answer are open that day (tests/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("during_campaign")]


@pytest.fixture
def world(transactional_db):
    w = make_observatory_world()
    w.roadmap = Roadmap.objects.create(
        academy=w.creteil, title="Feuille de route du numérique", period="2025-2026"
    )
    w.axis = Axis.objects.create(roadmap=w.roadmap, title="Pilotage", objectives="Installer les commissions")
    return w


def test_the_observatory_pages(new_checked_page, world):
    observer = new_checked_page()
    page = observer.page
    sign_in(observer, "inspectrice")
    observer.visit("/observatoire/")
    assert page.get_by_role(
        "img", name="Participation : positionnements non commencés, en cours et soumis"
    ).count()
    assert "Circonscription de Fresnes" in page.content()
    page.get_by_label("Type", exact=True).select_option("elementaire")
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()
    observer.check()
    assert "type=elementaire" in page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Carte de chaleur").click()
    observer.check()
    assert "type=elementaire" in page.url  # the filters follow
    assert page.get_by_role("img", name="Score de progression moyen par district et par domaine").count()
    with page.expect_navigation():
        page.get_by_role("link", name="Évolution").click()
    observer.check()
    assert page.get_by_role("table", name="Évolution campagne après campagne").count()

    animator = new_checked_page()
    sign_in(animator, "animateur")
    animator.visit(f"/observatoire/ecoles/{world.ecole.uai}/")
    assert "non diffusé" in animator.page.content()  # the académie's average: outside the district


def test_the_roadmap_editor_and_an_indicator(new_checked_page, world):
    w = world
    admin = new_checked_page()
    page = admin.page
    sign_in(admin, "dan")
    admin.visit(f"/feuille-de-route/{w.roadmap.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Ajouter un indicateur : Pilotage").click()
    admin.check()
    page.get_by_label("Indicateur").fill("Écoles ayant une commission numérique")
    page.get_by_label("Mesure").select_option("part")
    page.get_by_label("Cible").fill("50")
    page.get_by_label("Définition").select_option("critere")
    page.get_by_label("Référentiel").select_option(label="Paliers de maturité numérique des écoles (2014)")
    criterion = w.framework.criteria.get(code="PIL.1.2")
    page.get_by_label("Critère").select_option(str(criterion.pk))
    tab_to(page, "button[type=submit].fr-btn")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    admin.check()
    indicator = Indicator.objects.get(title="Écoles ayant une commission numérique")
    assert indicator.criterion == criterion and page.url.endswith(indicator.get_absolute_url())
    assert page.get_by_role("img", name="Écoles ayant une commission numérique : valeurs et cible").count()
    expect(page.locator("main")).to_contain_text("42,9 %")  # 3 of the 7 écoles (spaces normalised)

    # A form sent with a fault comes back with the fault named, and passes axe too.
    admin.visit(f"/feuille-de-route/axes/{w.axis.pk}/indicateurs/nouveau/")
    page.get_by_label("Indicateur").fill("Sans critère")
    page.get_by_label("Définition").select_option("critere")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer l’indicateur").click()
    admin.check()
    assert "Choisissez le référentiel du calcul." in page.content()

    admin.visit(f"/feuille-de-route/axes/{w.axis.pk}/modifier/")
    page.get_by_label("Actions à mener").fill("Réunir les directeurs\nFormer les référents")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer l’axe").click()
    admin.check()
    assert "Former les référents" in page.content()

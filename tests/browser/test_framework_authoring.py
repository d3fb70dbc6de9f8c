"""Writing a framework in the app and confirming carried answers, in the browser: axe checks
the upload page (with its faults), the preview, the loaded framework and its crosswalk, the
assessment page with carried answers, the confirmation page and the results, at 1280 and
360 pixels wide."""

import pytest

from paliers.assessments.models import Answer
from paliers.frameworks.models import Crosswalk, Framework
from paliers.frameworks.workbook import CRITERIA

from ..carrying_world import PROPOSED, make_carrying_world
from ..framework_workbooks import SMALL, fill, small_workbook
from .test_assessment import sign_in

# The test worlds' 2025-2026 campaigns, answered here, are open on that day (time-machine).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("during_campaign")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world(transactional_db):
    return make_carrying_world()


def choose_file(page, content):
    page.get_by_label("Classeur du référentiel (XLSX)").set_input_files(
        files=[{"name": "referentiel.xlsx", "mimeType": XLSX, "buffer": content}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier le classeur et voir l’aperçu").click()


@pytest.mark.parametrize("width", [1280, 360])
def test_an_administrator_uploads_previews_and_loads_a_framework(new_checked_page, world, width):
    admin = new_checked_page({"width": width, "height": 900})
    page = admin.page
    sign_in(admin, "dan")
    admin.visit("/referentiels/")
    with page.expect_navigation():
        page.get_by_role("link", name="Déposer un référentiel (tableur)").click()
    admin.check()
    criteria = [list(row) for row in SMALL[CRITERIA]]
    criteria[2][3] = 4
    choose_file(page, small_workbook(**{CRITERIA: criteria}))
    admin.check()
    assert page.get_by_role("heading", name="Le référentiel n’a pas été chargé").is_visible()
    assert page.get_by_text(
        "feuille « Critères », cellule D4 : niveau 4 inconnu (niveaux déclarés : 1, 2)."
    ).is_visible()
    crosswalk = (
        "creteil-etablissements",
        "2014",
        "toutes les sources",
        [("PIL.1.1", "PIL.COM.1", "équivalent")],
    )
    choose_file(page, fill(small_workbook(), {}, crosswalk))
    admin.check()
    assert page.get_by_role("heading", name="Aperçu du référentiel déposé").is_visible()
    assert page.get_by_role("heading", name="Paliers d’exemple des collèges").is_visible()
    assert page.get_by_role("columnheader", name="Palier 2").first.is_visible()
    assert not Framework.objects.filter(slug="exemple-colleges").exists()
    page.get_by_label("comme un nouveau référentiel").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Charger le référentiel").click()
    admin.check()
    assert page.get_by_text("Référentiel chargé : Paliers d’exemple des collèges, version 2025.").is_visible()
    loaded = Framework.objects.get(slug="exemple-colleges")
    assert Crosswalk.objects.filter(target=loaded).exists()
    with page.expect_navigation():
        page.get_by_role(
            "link", name="Depuis « Paliers de maturité numérique des établissements » (version 2014)"
        ).click()
    admin.check()
    assert page.get_by_role("heading", name="Table de correspondance").is_visible()
    admin.visit("/depot-referentiel/correspondances/")
    assert page.get_by_label("Table de correspondance (YAML)").is_visible()


@pytest.mark.parametrize("width", [1280, 360])
def test_a_head_carries_last_year_over_and_confirms(new_checked_page, world, width):
    head = new_checked_page({"width": width, "height": 900})
    page = head.page
    sign_in(head, "principale")
    head.visit(world.assessment.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Reprendre les réponses de l’an dernier").click()
    head.check()
    assert page.get_by_text("6 réponses reprises de l’an dernier sont à confirmer.").is_visible()
    # One, on its criterion: htmx swaps the block in place.
    block = page.locator("#critere-PIL\\.PRO\\.1\\.1")
    block.get_by_role("button", name="Confirmer « atteint »").click()
    page.wait_for_function(
        "() => !document.querySelector('#critere-PIL\\\\.PRO\\\\.1\\\\.1 .paliers-carried')"
    )
    head.check()
    assert not Answer.objects.get(assessment=world.assessment, criterion__code="PIL.PRO.1.1").carried_over
    head.visit(f"/positionnements/{world.assessment.pk}/resultats/")
    assert page.get_by_text("pas encore confirmées").is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Revoir les réponses reprises").click()
    head.check()
    assert page.get_by_role("heading", name="Réponses reprises à confirmer").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer les 2 réponses reprises de ce domaine : Formation").click()
    head.check()
    assert page.get_by_text("2 réponses reprises confirmées.").is_visible()
    remaining = len(PROPOSED) - 3
    with page.expect_navigation():
        page.get_by_role("button", name=f"Confirmer les {remaining} réponses reprises", exact=True).click()
    head.check()
    assert page.get_by_text(f"{remaining} réponses reprises confirmées.").is_visible()
    head.visit(f"/positionnements/{world.assessment.pk}/resultats/")
    assert page.get_by_role("heading", name="Depuis 2024-2025 (version 2014 du référentiel)").is_visible()
    assert not page.get_by_text("pas encore confirmées").count()

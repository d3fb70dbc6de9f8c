"""Reports in the browser: a head exports the spreadsheet, fills it, imports it through the
preview; an animator prepares the ZIP of the district's reports and watches it progress.
axe checks every page on the way, the htmx-updated progress too."""

import io

import pytest
from openpyxl import load_workbook

from paliers.assessments.models import Answer
from paliers.reports.xlsx_export import assessment_workbook
from paliers.reports.xlsx_layout import ANSWER, QUESTIONNAIRE, build_layout
from paliers.workers.inline import run_ready_tasks

from ..reports_world import make_reports_world
from .test_assessment import sign_in

# The 2025-2026 campaigns they answer are open that day (tests/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("during_campaign")]


@pytest.fixture
def world(transactional_db):
    return make_reports_world()


def filled_workbook(world):
    workbook = load_workbook(io.BytesIO(assessment_workbook(world.assessment)))
    place = build_layout(world.ecoles).places["RES.1.1"]
    workbook[QUESTIONNAIRE].cell(row=place.row, column=place.column(ANSWER)).value = "atteint"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_a_head_imports_a_filled_spreadsheet(new_checked_page, world):
    head = new_checked_page()
    page = head.page
    sign_in(head, "directeur")
    head.visit(world.assessment.get_absolute_url())
    assert page.get_by_role("link", name="Télécharger le rapport PDF").is_visible()
    assert page.get_by_role("link", name="Exporter en tableur").is_visible()
    head.visit(f"/positionnements/{world.assessment.pk}/resultats/")
    with page.expect_navigation():
        page.get_by_role("link", name="Importer un tableur").click()
    head.check()
    page.get_by_label("Tableur rempli (XLSX)").set_input_files(
        files=[
            {
                "name": "positionnement.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": b"pas un classeur",
            }
        ]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier le fichier et voir l’aperçu").click()
    head.check()
    assert page.get_by_text("Ce fichier n’est pas un classeur Excel (.xlsx).").is_visible()
    page.get_by_label("Tableur rempli (XLSX)").set_input_files(
        files=[
            {
                "name": "positionnement.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": filled_workbook(world),
            }
        ]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Vérifier le fichier et voir l’aperçu").click()
    head.check()
    assert page.get_by_role("heading", name="Aperçu de l’import").is_visible()
    assert page.get_by_role("row", name="RES.1.1 non renseigné atteint inchangé").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Appliquer ces modifications").click()
    head.check()
    assert page.get_by_text("Tableur importé : 1 réponse modifiée.").is_visible()
    assert Answer.objects.get(assessment=world.assessment, criterion__code="RES.1.1").value == "atteint"


def test_an_animator_prepares_the_zip_of_the_district(new_checked_page, world):
    # The test runs the queued tasks itself: the test database (SQLite in memory, shared
    # cache) locks whole tables, so a worker beside the live server's polling reads would
    # fail here when it waits, as it should, on a real database.
    animator = new_checked_page()
    page = animator.page
    sign_in(animator, "animateur")
    animator.visit(world.campaign.get_absolute_url())
    assert page.get_by_role("link", name="Niveaux par domaine (CSV)").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Préparer les rapports PDF (ZIP)").click()
    animator.check()
    assert page.get_by_role("heading", name="Rapports PDF de votre périmètre").is_visible()
    assert page.get_by_text("En attente de préparation…").is_visible()
    assert page.get_by_role("link", name="Actualiser la page").is_visible()  # without JavaScript
    page.evaluate("() => document.getElementById('progression-lot').remove()")  # stops htmx's polling
    assert {result.status for result in run_ready_tasks()} == {"SUCCESSFUL"}
    with page.expect_navigation():
        page.reload()
    animator.check()
    link = page.get_by_role("link", name="Télécharger l’archive ZIP")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "rapports-2025-2026-creteil-ecoles.zip"

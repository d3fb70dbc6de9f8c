import pytest

from paliers.accounts.models import Membership, Role
from paliers.workers.inline import run_ready_tasks

from ..factories import make_world
from ..shared_data import ANNUAIRE_VAL_DE_MARNE

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db):
    return make_world()


def sign_in(checked_page, username):
    page = checked_page.page
    checked_page.visit("/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill("mot de passe de test")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()


def test_the_directory_with_filters_and_a_school_page(checked_page, world):
    page = checked_page.page
    sign_in(checked_page, "dan")
    with page.expect_navigation():
        page.get_by_role("link", name="Annuaire").first.click()
    checked_page.check()
    assert page.locator("tbody tr").count() == 3
    page.get_by_label("Type").select_option("college")
    with page.expect_navigation():
        page.get_by_role("button", name="Rechercher").click()
    checked_page.check()
    assert page.locator("tbody tr").count() == 1
    # Keyboard only: tab to the school's link and open it.
    page.get_by_role("link", name="Collège Francine Fromond").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Collège Francine Fromond"
    assert page.get_by_text("Val-de-Marne (094)").is_visible()


def test_inviting_a_member_with_the_keyboard(checked_page, world):
    page = checked_page.page
    sign_in(checked_page, "dan")
    checked_page.visit("/personnes/")
    with page.expect_navigation():
        page.get_by_role("link", name="Inviter une personne").click()
    checked_page.check()
    page.get_by_label("Adresse électronique").fill("nouvelle.enseignante@ac-creteil.fr")
    page.get_by_label("Prénom").fill("Nora")
    page.get_by_label("Nom", exact=True).fill("Enseignante")
    page.get_by_label("Rôle").select_option(Role.SCHOOL_MEMBER)
    # Forgetting the school first: the form says which field is missing.
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer l’invitation").click()
    checked_page.check()
    assert page.get_by_role("alert").first.is_visible()
    assert page.get_by_text("Ce rôle s’exerce dans une école").is_visible()
    page.get_by_label("UAI de l’école ou de l’établissement").fill(world.ecole.uai)
    page.get_by_label("UAI de l’école ou de l’établissement").press("Enter")
    page.wait_for_url("**/personnes/")
    checked_page.check()
    assert page.get_by_text("Invitation envoyée à nouvelle.enseignante@ac-creteil.fr").is_visible()
    invited = Membership.objects.filter(user__email="nouvelle.enseignante@ac-creteil.fr", school=world.ecole)
    assert invited.exists()


def test_read_only_roles_do_not_see_people_management(checked_page, world):
    sign_in(checked_page, "inspectrice")
    page = checked_page.page
    assert page.get_by_role("link", name="Annuaire").first.is_visible()
    assert page.get_by_role("link", name="Personnes").count() == 0
    response = checked_page.visit("/personnes/")
    assert response.status == 403


ANNUAIRE = ANNUAIRE_VAL_DE_MARNE


def test_importing_the_directory_from_the_app(checked_page, world):
    page = checked_page.page
    sign_in(checked_page, "dan")
    checked_page.visit("/annuaire/importer/")
    page.get_by_label("Fichier de l’annuaire (CSV)").set_input_files(str(ANNUAIRE))
    with page.expect_navigation():
        page.get_by_role("button", name="Voir l’aperçu").click()
    checked_page.check()
    assert page.get_by_text("Créations : 612").is_visible()
    # Every change of places is in the preview, before anything is written.
    assert page.get_by_role("heading", name="Académies, départements et districts").is_visible()
    assert page.get_by_text("Tous les changements prévus, sans exception").is_visible()
    assert page.get_by_text("autres écoles et établissements créés ou mis à jour").is_visible()
    page.get_by_role("button", name="Appliquer l’import").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()  # the progress page, waiting for a worker
    assert page.get_by_text("En attente d’un processus de travail…").is_visible()
    assert page.get_by_role("link", name="Actualiser la page").is_visible()
    page.evaluate("() => document.getElementById('progression-import').remove()")  # stops htmx's polling
    # The test runs the queued task itself (see test_reports.py: no worker beside the
    # in-memory test database).
    assert [result.status for result in run_ready_tasks()] == ["SUCCESSFUL"]
    with page.expect_navigation():
        page.reload()
    checked_page.check()
    assert page.get_by_text("Import appliqué : l’annuaire est à jour.").is_visible()
    assert page.get_by_text("Créations : 612").is_visible()


def test_account_pages_and_errors(checked_page, world):
    sign_in(checked_page, "dan")
    page = checked_page.page
    checked_page.visit("/comptes/mon-compte/")
    assert page.get_by_text("Académie de Créteil").is_visible()
    checked_page.visit("/comptes/mot-de-passe/")
    checked_page.visit(f"/personnes/inviter-directions/?department={world.val_de_marne.pk}")
    assert page.get_by_text("1 école a déjà une direction.").is_visible()
    response = checked_page.visit("/annuaire/0000000A/")
    assert response.status == 404
    response = checked_page.visit("/personnes/1/retirer/")  # a button's address, opened as a page
    assert response.status == 405 and page.get_by_role("heading", name="Action non permise").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").first.click()
    checked_page.check()
    checked_page.visit("/comptes/mot-de-passe-oublie/")
    page.get_by_label("Adresse électronique").fill("dan@ac-creteil.fr")
    with page.expect_navigation():
        page.get_by_role("button", name="Recevoir le lien").click()
    checked_page.check()
    assert page.get_by_role("heading", name="Lien envoyé").is_visible()
    checked_page.visit("/comptes/reinitialisation/MQ/faux-jeton/")
    assert page.get_by_text("Ce lien n’est plus valable").is_visible()
    response = checked_page.visit("/annuaire/%00/")  # refused before any session is read
    assert response.status == 400 and page.get_by_text("caractère nul").is_visible()

import pytest

from paliers.frameworks.models import Framework

pytestmark = pytest.mark.browser


def test_every_framework_page_passes_axe(checked_page, shipped_frameworks):
    checked_page.visit("/")
    checked_page.visit("/referentiels/")
    rows = checked_page.page.locator("table tbody tr")
    assert rows.count() == 5
    for framework in Framework.objects.all():
        response = checked_page.visit(framework.get_absolute_url())
        assert response.status == 200
        assert checked_page.page.locator("h1").inner_text() == framework.title


def test_a_framework_is_reached_with_the_keyboard_alone(checked_page, shipped_frameworks):
    page = checked_page.page
    checked_page.visit("/referentiels/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Contenu"  # the skip link
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()").startswith("NumEA"):
            break
    else:
        pytest.fail("le lien vers NumEA n’est pas atteignable au clavier")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.url.endswith("/referentiels/numea-etablissement/2020/")
    assert page.get_by_role("columnheader", name="Étape 3").is_visible()


def test_the_framework_page_prints_without_the_site_chrome(checked_page, shipped_frameworks):
    page = checked_page.page
    checked_page.visit("/referentiels/creteil-etablissements-revise/1/")
    page.emulate_media(media="print")
    assert not page.locator("header.fr-header").is_visible()
    assert page.locator("table").first.is_visible()
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF")


def test_login_page_passes_axe(checked_page, db):
    checked_page.visit("/comptes/connexion/")
    page = checked_page.page
    page.get_by_label("Identifiant").fill("personne")
    page.get_by_label("Mot de passe").fill("mauvais")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked_page.check()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_text("Identifiant ou mot de passe incorrect").is_visible()


def test_signing_in_and_out(checked_page, django_user_model):
    django_user_model.objects.create_user("claire", password="un mot de passe solide", first_name="Claire")
    page = checked_page.page
    checked_page.visit("/comptes/connexion/")
    page.get_by_label("Identifiant").fill("claire")
    page.get_by_label("Mot de passe").fill("un mot de passe solide")
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    checked_page.check()
    # The DSFR copies the header tools into the mobile menu: the first copy is the visible one.
    assert page.get_by_text("Claire", exact=True).first.is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").first.click()
    checked_page.check()
    assert page.get_by_role("link", name="Se connecter").first.is_visible()

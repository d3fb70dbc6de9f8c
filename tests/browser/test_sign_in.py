"""Signing in through ProConnect (a real oidc-provider process) and an ENT (a real
django-cas-server process) in Chromium; every page shown, Paliers' and the providers',
passes axe-core."""

import pytest

from paliers.identities.models import AcademySignIn, Identity
from paliers.identities.providers import forget_discoveries

from ..factories import make_world
from ..identity_servers import CasServer, OidcProvider, free_port, use_providers
from .conftest import tab_to

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def providers(live_server):
    oidc, cas = OidcProvider([live_server.url]), CasServer()
    yield oidc, cas
    oidc.close()
    cas.close()


@pytest.fixture
def world(transactional_db, settings, providers):
    oidc, cas = providers
    forget_discoveries()
    oidc.set_mode("")
    use_providers(settings, oidc.environment(), cas.environment())
    w = make_world()
    w.head.email = "claire.martin@ac-creteil.fr"
    w.head.first_name, w.head.last_name = "Claire", "Martin"
    w.head.save()
    oidc.set_people({
        "agent-claire": {"email": "claire.martin@ac-creteil.fr"},
        "agent-inconnu": {"email": "paul.durand@ac-creteil.fr"},
    })  # fmt: skip
    cas.set_people(
        {"cmartin": {"password": "ent-secret", "attributes": {"mail": "claire.martin@ac-creteil.fr"}}}
    )
    return w


def go(checked_page, action):
    with checked_page.page.expect_navigation():
        action()
    checked_page.check()


def to_provider_with_the_keyboard(checked_page):
    checked_page.visit("/comptes/connexion/")
    tab_to(checked_page.page, "a.fr-connect")
    go(checked_page, lambda: checked_page.page.keyboard.press("Enter"))


def sign_in_at_the_provider(checked_page, login):
    page = checked_page.page
    assert page.get_by_role("heading", level=1).inner_text() == "Fournisseur d’identité de test"
    page.get_by_label("Identifiant").fill(login)
    go(checked_page, lambda: page.keyboard.press("Enter"))


@pytest.mark.parametrize("width", [1280, 360])
def test_proconnect_sign_in_and_sign_out(new_checked_page, world, width):
    checked_page = new_checked_page({"width": width, "height": 900})
    page = checked_page.page
    to_provider_with_the_keyboard(checked_page)
    sign_in_at_the_provider(checked_page, "agent-claire")
    assert page.url.endswith("/") and Identity.objects.filter(user=world.head).exists()
    checked_page.visit("/comptes/mon-compte/")
    assert "Claire Martin" in page.content()
    if width == 360:
        page.get_by_role("button", name="Menu").first.click()
    # Paliers' page refreshes to the provider at once; answered « 204 No Content », the
    # refresh leaves the page in place, to be checked, and its link is followed by hand.
    page.route("**/session/end**", lambda route: route.fulfill(status=204))
    with page.expect_navigation(url="**/comptes/deconnexion/"):
        page.get_by_role("button", name="Se déconnecter").first.click()
    checked_page.check()
    assert "Vous êtes déconnecté de Paliers" in page.content()
    page.unroute("**/session/end**")
    go(checked_page, lambda: page.get_by_role("link", name="Terminer la session chez ProConnect").click())
    go(checked_page, lambda: page.get_by_role("button", name="Se déconnecter").click())
    assert page.get_by_role("heading", level=1).inner_text() == "Déconnexion terminée"
    checked_page.check()


def test_every_failure_is_a_french_page(new_checked_page, world, providers, settings):
    oidc, _ = providers
    checked_page = new_checked_page()
    page = checked_page.page
    # Cancelling at the provider.
    to_provider_with_the_keyboard(checked_page)
    go(checked_page, lambda: page.get_by_role("button", name="Annuler").click())
    assert page.get_by_role("heading", level=1).inner_text() == "Connexion annulée"
    # Someone nobody invited.
    to_provider_with_the_keyboard(checked_page)
    sign_in_at_the_provider(checked_page, "agent-inconnu")
    assert "Aucun compte Paliers" in page.get_by_role("heading", level=1).inner_text()
    assert "paul.durand@ac-creteil.fr" in page.content()
    # A forged signature, then the same answer replayed.
    to_provider_with_the_keyboard(checked_page)
    oidc.set_mode("signature")
    try:
        sign_in_at_the_provider(checked_page, "agent-claire")
    finally:
        oidc.set_mode("")
    assert "n’a pas pu être vérifiée" in page.get_by_role("heading", level=1).inner_text()
    go(checked_page, page.reload)
    assert "déjà servi" in page.get_by_role("heading", level=1).inner_text()
    # The provider out of reach.
    use_providers(settings, oidc.environment(DISCOVERY_URL=f"http://127.0.0.1:{free_port()}/x"))
    checked_page.visit("/comptes/connexion/")
    go(checked_page, lambda: page.locator("a.fr-connect").click())
    assert page.get_by_role("heading", level=1).inner_text() == "Le service d’identité ne répond pas"
    with page.expect_navigation():
        page.get_by_role("link", name="Revenir à la page de connexion").click()
    checked_page.check()


def test_ent_sign_in_through_cas(checked_page, world):
    page = checked_page.page
    checked_page.visit("/comptes/connexion/")
    go(checked_page, lambda: page.get_by_role("link", name="Se connecter avec ENT de test").click())
    assert page.get_by_role("heading", level=1).inner_text() == "ENT de test — connexion"
    page.locator("input[name=username]").fill("cmartin")
    page.locator("input[name=password]").fill("ent-secret")
    go(checked_page, lambda: page.get_by_role("button", name="Se connecter").click())
    assert Identity.objects.get(user=world.head).provider == "cas"


def test_the_academy_settings_page(new_checked_page, world):
    AcademySignIn.objects.create(academy=world.creteil, local_passwords=True)
    for width in (1280, 360):
        checked_page = new_checked_page({"width": width, "height": 900})
        page = checked_page.page
        checked_page.visit("/comptes/connexion/")
        page.get_by_label("Identifiant").fill("dan")
        page.get_by_label("Mot de passe").fill("mot de passe de test")
        go(checked_page, lambda page=page: page.keyboard.press("Enter"))
        checked_page.visit("/personnes/connexion/regles/ajouter/")
        page.get_by_label("Fournisseur").select_option("proconnect")
        page.get_by_label("Donnée d’identité").fill("FrEduRneResp")
        page.get_by_label("Rôle donné").select_option("school_head")
        page.get_by_label("Périmètre").select_option("school_from_claim")
        go(checked_page, lambda page=page: page.get_by_role("button", name="Ajouter la règle").click())
        assert page.locator("tbody tr").count() == (1 if width == 1280 else 2)

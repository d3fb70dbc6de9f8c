"""The sign-in configuration (environment, system check) and the académie's settings page."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from paliers.accounts.models import Role
from paliers.identities.checks import sign_in_configuration
from paliers.identities.models import AcademySignIn, AdmissionRule, RuleScope
from paliers.identities.providers import read_configuration

from .factories import make_world

GOOD = {
    "PALIERS_OIDC_PROVIDERS": "proconnect, ac-creteil",
    "PALIERS_OIDC_PROCONNECT_DISCOVERY_URL": "https://auth.example/api/v2/.well-known/openid-configuration",
    "PALIERS_OIDC_PROCONNECT_CLIENT_ID": "id",
    "PALIERS_OIDC_PROCONNECT_CLIENT_SECRET": "secret",
    "PALIERS_OIDC_AC_CRETEIL_DISCOVERY_URL": "https://idp.ac-creteil.example/.well-known/openid-configuration",
    "PALIERS_OIDC_AC_CRETEIL_CLIENT_ID": "paliers",
    "PALIERS_OIDC_AC_CRETEIL_CLIENT_SECRET": "autre",
    "PALIERS_OIDC_AC_CRETEIL_LABEL": "Guichet de l’académie de Créteil",
    "PALIERS_OIDC_AC_CRETEIL_ACR_VALUES": "",
    "PALIERS_CAS_SERVER_URL": "https://ent.example/cas/",
    "PALIERS_CAS_LABEL": "ENT 77",
}


def test_several_providers_from_the_environment():
    config = read_configuration(GOOD)
    assert config.faults == []
    proconnect, creteil = config.oidc
    assert (
        proconnect.label == "ProConnect" and proconnect.acr_values == "eidas1" and proconnect.userinfo_signed
    )
    assert creteil.label == "Guichet de l’académie de Créteil" and creteil.acr_values == ""
    assert not creteil.userinfo_signed and creteil.scopes.startswith("openid")
    assert config.cas.label == "ENT 77" and config.cas.version == "3"


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        ({"PALIERS_OIDC_PROCONNECT_CLIENT_SECRET": ""}, "PALIERS_OIDC_PROCONNECT_CLIENT_SECRET manque"),
        ({"PALIERS_OIDC_PROCONNECT_DISCOVERY_URL": "auth.example"}, "adresse http(s) complète"),
        ({"PALIERS_OIDC_PROCONNECT_SCOPES": "email"}, "doit contenir « openid »"),
        ({"PALIERS_OIDC_PROCONNECT_SIGN_ALGO": "HS256"}, "algorithme asymétrique"),
        ({"PALIERS_OIDC_PROCONECT_CLIENT_ID": "x"}, "n’est pas cité dans PALIERS_OIDC_PROVIDERS"),
        ({"PALIERS_OIDC_PROVIDERS": "proconnect,proconnect"}, "cité deux fois"),
        ({"PALIERS_OIDC_PROVIDERS": "Pro Connect"}, "n’est pas un nom valable"),
        ({"PALIERS_CAS_VERSION": "4"}, "PALIERS_CAS_VERSION"),
        ({"PALIERS_CAS_SERVER_URL": ""}, "PALIERS_CAS_SERVER_URL manque"),
    ],
)
def test_faults_stop_the_start(settings, change, fault):
    settings.SIGN_IN_ENVIRONMENT = {**GOOD, **change}
    errors = sign_in_configuration(None)
    assert any(fault in error.msg for error in errors), [e.msg for e in errors]
    assert all(error.id == "identities.E001" for error in errors)
    with pytest.raises(SystemCheckError, match=r"identities\.E001"):
        call_command("check")


def test_https_is_required_in_production(settings):
    settings.PRODUCTION = True
    settings.SIGN_IN_ENVIRONMENT = {**GOOD, "PALIERS_CAS_SERVER_URL": "http://ent.example/cas/"}
    assert any("https en production" in e.msg for e in sign_in_configuration(None))


def test_no_password_and_no_provider_is_refused(settings):
    settings.SIGN_IN_ENVIRONMENT = {}
    settings.LOCAL_PASSWORDS = False
    assert any("personne ne pourrait se connecter" in e.msg for e in sign_in_configuration(None))


def test_short_state_or_nonce_is_refused(settings):
    settings.SIGN_IN_ENVIRONMENT = GOOD
    settings.OIDC_NONCE_SIZE = 16
    assert [e.id for e in sign_in_configuration(None)] == ["identities.E002"]


def test_the_login_page_offers_each_provider(client, db, settings):
    settings.SIGN_IN_ENVIRONMENT = GOOD
    page = client.get("/comptes/connexion/?next=/comptes/mon-compte/").content.decode()
    assert 'class="fr-connect"' in page and "S’identifier avec" in page and "ProConnect" in page
    assert "Qu’est-ce que ProConnect ?" in page and 'href="https://proconnect.gouv.fr/"' in page
    assert "Se connecter avec Guichet de l’académie de Créteil" in page
    assert "/comptes/connexion/oidc/ac-creteil/?next=/comptes/mon-compte/" in page
    assert "Se connecter avec ENT 77" in page and 'name="password"' in page


@pytest.fixture
def world(db, settings):
    settings.SIGN_IN_ENVIRONMENT = GOOD
    return make_world()


def test_the_academy_turns_passwords_off_and_writes_rules(client, world):
    client.force_login(world.admin)
    page = client.get("/personnes/connexion/").content.decode()
    assert "ProConnect" in page and "ENT 77" in page and "Aucune règle" in page
    prefix = f"a{world.creteil.pk}"
    response = client.post(
        "/personnes/connexion/", {"academy": world.creteil.pk, f"{prefix}-local_passwords": ""}
    )
    assert response.status_code == 302
    assert AcademySignIn.objects.get(academy=world.creteil).local_passwords is False
    # A rule whose role does not fit its scope is refused on the field at fault.
    response = client.post(
        "/personnes/connexion/regles/ajouter/",
        {"provider": "proconnect", "claim": "FrEduFonctAdm", "value": "DIR", "role": Role.SCHOOL_MEMBER,
         "scope": RuleScope.ACADEMY},
    )  # fmt: skip
    assert response.status_code == 200 and "DAN ou observateur seulement" in response.content.decode()
    assert not AdmissionRule.objects.exists()
    response = client.post(
        "/personnes/connexion/regles/ajouter/",
        {"provider": "proconnect", "claim": "FrEduRneResp", "value": "", "role": Role.SCHOOL_HEAD,
         "scope": RuleScope.SCHOOL_FROM_CLAIM},
    )  # fmt: skip
    assert response.status_code == 302
    rule = AdmissionRule.objects.get()
    assert rule.academy == world.creteil and rule.created_by == world.admin
    assert "FrEduRneResp" in client.get("/personnes/connexion/").content.decode()
    # Versailles' administrator can neither see nor delete Créteil's rule.
    client.force_login(world.other_admin)
    assert "FrEduRneResp" not in client.get("/personnes/connexion/").content.decode()
    assert client.post(f"/personnes/connexion/regles/{rule.pk}/supprimer/").status_code == 404
    client.force_login(world.admin)
    assert client.post(f"/personnes/connexion/regles/{rule.pk}/supprimer/").status_code == 302
    assert not AdmissionRule.objects.exists()

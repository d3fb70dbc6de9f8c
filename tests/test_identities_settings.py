"""The sign-in configuration (environment, system check) and the académie's settings page."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from paliers.accounts.models import Membership, Role
from paliers.audit.models import AuditEvent, EventKind
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


def journal():
    return list(AuditEvent.objects.filter(kind=EventKind.SIGN_IN_SETTINGS).order_by("pk"))


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
    [turned_off] = journal()
    assert turned_off.user == world.admin and turned_off.academy == world.creteil
    assert turned_off.detail == "mots de passe Paliers désactivés"
    # A rule whose role does not fit its scope is refused on the field at fault.
    response = client.post(
        "/personnes/connexion/regles/ajouter/",
        {"provider": "proconnect", "claim": "FrEduFonctAdm", "value": "DIR", "role": Role.SCHOOL_MEMBER,
         "scope": RuleScope.ACADEMY},
    )  # fmt: skip
    assert response.status_code == 200 and "DAN ou observateur seulement" in response.content.decode()
    assert not AdmissionRule.objects.exists() and len(journal()) == 1
    page = client.get("/personnes/connexion/regles/ajouter/").content.decode()
    assert 'name="academy"' not in page  # a DAN's own académie: nothing to choose
    response = client.post(
        "/personnes/connexion/regles/ajouter/",
        {"provider": "proconnect", "claim": "FrEduRneResp", "value": "", "role": Role.SCHOOL_HEAD,
         "scope": RuleScope.SCHOOL_FROM_CLAIM},
    )  # fmt: skip
    assert response.status_code == 302
    rule = AdmissionRule.objects.get()
    assert rule.academy == world.creteil and rule.created_by == world.admin
    added = journal()[-1]
    assert added.academy == world.creteil and added.detail == (
        "règle d’admission ajoutée : proconnect : FrEduRneResp = * → chef d’établissement, directeur d’école "
        "(l’école ou l’établissement dont l’UAI est dans la donnée)"
    )
    assert "FrEduRneResp" in client.get("/personnes/connexion/").content.decode()
    # Versailles' administrator can neither see nor delete Créteil's rule.
    client.force_login(world.other_admin)
    assert "FrEduRneResp" not in client.get("/personnes/connexion/").content.decode()
    assert client.post(f"/personnes/connexion/regles/{rule.pk}/supprimer/").status_code == 404
    client.force_login(world.admin)
    assert client.post(f"/personnes/connexion/regles/{rule.pk}/supprimer/").status_code == 302
    assert not AdmissionRule.objects.exists()
    assert journal()[-1].detail.startswith("règle d’admission supprimée : proconnect : FrEduRneResp = * →")
    assert [event.user for event in journal()] == [world.admin] * 3


def test_who_administers_several_academies_chooses_the_rules_one(client, world):
    Membership.objects.create(user=world.admin, role=Role.ACADEMY_ADMIN, academy=world.versailles)
    client.force_login(world.admin)
    rule = {"provider": "proconnect", "claim": "FrEduFonctAdm", "value": "DIR", "role": Role.OBSERVER,
            "scope": RuleScope.ACADEMY}  # fmt: skip
    response = client.post("/personnes/connexion/regles/ajouter/", rule)
    assert response.status_code == 200 and "academy" in response.context["form"].errors
    assert not AdmissionRule.objects.exists()
    response = client.post("/personnes/connexion/regles/ajouter/", {**rule, "academy": world.versailles.pk})
    assert response.status_code == 302
    assert AdmissionRule.objects.get().academy == world.versailles
    assert journal()[-1].academy == world.versailles  # read by Versailles' administrators
    page = client.get("/personnes/connexion/").content.decode()
    assert '<th scope="col">Académie</th>' in page and "Versailles" in page
    # An académie that is not theirs is not a choice.
    Membership.objects.filter(user=world.admin, academy=world.versailles).update(revoked_at=timezone.now())
    response = client.post("/personnes/connexion/regles/ajouter/", {**rule, "academy": world.versailles.pk})
    assert response.status_code == 302 and AdmissionRule.objects.filter(academy=world.creteil).exists()


def test_without_any_provider_a_rule_is_not_offered_and_the_page_says_why(client, world, settings):
    settings.SIGN_IN_ENVIRONMENT = {}
    client.force_login(world.admin)
    page = client.get("/personnes/connexion/").content.decode()
    assert "/personnes/connexion/regles/ajouter/" not in page and "il en faut un configuré" in page
    response = client.get("/personnes/connexion/regles/ajouter/")
    text = response.content.decode()
    assert response.status_code == 200 and "<form" not in text.split("<main", 1)[1].split("</main>")[0]
    assert "Aucun service d’identité n’est configuré" in text and "/personnes/inviter/" in text
    rule = {"provider": "proconnect", "claim": "FrEduFonctAdm", "value": "DIR", "role": Role.OBSERVER,
            "scope": RuleScope.ACADEMY}  # fmt: skip
    assert client.post("/personnes/connexion/regles/ajouter/", rule).status_code == 409
    assert not AdmissionRule.objects.exists() and not journal()

"""Sign-in through OpenID Connect (ProConnect's rules) against a real provider process."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.utils import timezone

from paliers.accounts.models import Membership, Role
from paliers.audit.models import AuditEvent, EventKind
from paliers.identities.models import AcademySignIn, AdmissionRule, Identity, RuleScope
from paliers.identities.providers import forget_discoveries

from .factories import make_world, user
from .identity_servers import OidcProvider, free_port, use_providers
from .sso_flows import SITE, FormReader, authorization_params, follow_provider, local_path, oidc_sign_in


@pytest.fixture(scope="module")
def provider():
    started = OidcProvider([SITE])
    yield started
    started.close()


@pytest.fixture
def world(db, settings, provider):
    forget_discoveries()
    use_providers(settings, provider.environment())
    provider.set_mode("")
    w = make_world()
    w.head.email = "claire.martin@ac-creteil.fr"
    w.head.save()
    provider.set_people(
        {
            "agent-claire": {
                "email": "claire.martin@ac-creteil.fr",
                "given_name": "Claire",
                "usual_name": "Martin",
            },
            "agent-inconnu": {"email": "paul.durand@ac-creteil.fr", "given_name": "Paul"},
        }
    )
    return w


def signed_in_user(client):
    return client.session.get("_auth_user_id")


def test_the_request_follows_proconnect_rules(client, world, provider):
    oidc_sign_in(client, provider, "agent-claire")
    params = authorization_params(provider)
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["acr_values"] == "eidas1" and params["prompt"] == "login"
    assert params["code_challenge_method"] == "S256" and params["scope"].split()[0] == "openid"


def test_first_sign_in_links_the_identity_and_later_ones_follow_it(client, world, provider):
    back, _ = oidc_sign_in(client, provider, "agent-claire")
    response = client.get(back)
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user(client) == str(world.head.pk)
    identity = Identity.objects.get(user=world.head)
    assert identity.provider == "proconnect" and identity.subject == "agent-claire"
    assert identity.issuer == provider.url
    login = AuditEvent.objects.get(kind=EventKind.LOGIN)
    assert login.user == world.head and "ProConnect, identité agent-claire" in login.detail
    assert "première connexion" in login.detail
    # No role was created: the account keeps exactly its invitation.
    assert list(Membership.objects.filter(user=world.head).values_list("role", flat=True)) == [
        Role.SCHOOL_HEAD
    ]
    # The e-mail changes at the provider: the link, not the e-mail, finds the account.
    client.post("/comptes/deconnexion/")
    provider.set_people({"agent-claire": {"email": "claire.martin-dupont@ac-creteil.fr"}})
    response = client.get(oidc_sign_in(client, provider, "agent-claire")[0])
    assert response.status_code == 302 and signed_in_user(client) == str(world.head.pk)
    identity.refresh_from_db()
    assert identity.email == "claire.martin-dupont@ac-creteil.fr"
    assert "première connexion" not in AuditEvent.objects.filter(kind=EventKind.LOGIN).first().detail


def test_sign_in_goes_back_to_the_page_asked_for(client, world, provider):
    back, _ = oidc_sign_in(client, provider, "agent-claire", start_query="?next=/comptes/mon-compte/")
    assert client.get(back)["Location"] == "/comptes/mon-compte/"


def test_nobody_enters_uninvited(client, world, provider):
    users_before = get_user_model().objects.count()
    response = client.get(oidc_sign_in(client, provider, "agent-inconnu")[0])
    assert response.status_code == 403
    text = response.content.decode()
    assert "Aucun compte Paliers n’attend cette identité" in text and "paul.durand@ac-creteil.fr" in text
    assert "délégation académique au numérique" in text
    assert get_user_model().objects.count() == users_before and not Identity.objects.exists()
    failed = AuditEvent.objects.get(kind=EventKind.LOGIN_FAILED)
    assert failed.username == "paul.durand@ac-creteil.fr" and "ProConnect" in failed.detail
    assert signed_in_user(client) is None


def test_a_revoked_person_no_longer_enters(client, world, provider):
    client.get(oidc_sign_in(client, provider, "agent-claire")[0])
    client.post("/comptes/deconnexion/")
    Membership.objects.filter(user=world.head).update(revoked_at=timezone.now())
    response = client.get(oidc_sign_in(client, provider, "agent-claire")[0])
    assert response.status_code == 403 and "Ce compte Paliers est fermé" in response.content.decode()


def test_an_academy_rule_admits_heads_by_their_claim(client, world, provider):
    AdmissionRule.objects.create(
        academy=world.creteil, provider="proconnect", claim="FrEduRneResp", value="",
        role=Role.SCHOOL_HEAD, scope=RuleScope.SCHOOL_FROM_CLAIM, created_by=world.admin,
    )  # fmt: skip
    # A head invited on the school's official mailbox (ce.UAI@…), and a new head elsewhere.
    mailbox = user(
        "ce.0940176F@ac-creteil.fr", Role.SCHOOL_HEAD, world.ecole, email="ce.0940176F@ac-creteil.fr"
    )
    provider.set_people(
        {
            "agent-ecole": {
                "email": "anne.roux@ac-creteil.fr",
                "FrEduRneResp": [f"{world.ecole.uai}$UAJ$PU$N"],
            },
            "agent-college": {
                "email": "luc.petit@ac-creteil.fr",
                "FrEduRneResp": [f"{world.college.uai}$UAJ$PU"],
            },
            "agent-versailles": {"email": "x@ac-versailles.fr", "FrEduRneResp": [f"{world.other.uai}$UAJ"]},
        }
    )
    assert client.get(oidc_sign_in(client, provider, "agent-ecole")[0]).status_code == 302
    assert signed_in_user(client) == str(mailbox.pk)  # the head's invitation, now linked
    client.post("/comptes/deconnexion/")
    assert client.get(oidc_sign_in(client, provider, "agent-college")[0]).status_code == 302
    newcomer = get_user_model().objects.get(email="luc.petit@ac-creteil.fr")
    membership = Membership.objects.get(user=newcomer)
    assert membership.role == Role.SCHOOL_HEAD and membership.school == world.college
    assert membership.created_by == world.admin
    assert "règle d’admission" in AuditEvent.objects.filter(kind=EventKind.LOGIN).first().detail
    client.post("/comptes/deconnexion/")
    # A school of another académie: Créteil's rule does not reach it.
    assert client.get(oidc_sign_in(client, provider, "agent-versailles")[0]).status_code == 403


def test_sign_out_ends_the_provider_session_with_id_token_hint(client, world, provider):
    back, session = oidc_sign_in(client, provider, "agent-claire")
    client.get(back)
    response = client.post("/comptes/deconnexion/")
    assert signed_in_user(client) is None
    end = response.context["provider_url"]
    assert (
        response.status_code == 200
        and f'content="0;url={end.replace("&", "&amp;")}"' in response.content.decode()
    )
    assert end.startswith(f"{provider.url}/session/end?")
    page = session.get(end, timeout=10)
    assert "Se déconnecter du fournisseur de test" in page.text
    query = next(e["query"] for e in reversed(provider.log()) if e["path"] == "/session/end")
    assert query["id_token_hint"].count(".") == 2 and len(query["state"]) >= 32
    assert query["post_logout_redirect_uri"] == f"{SITE}/comptes/deconnexion/terminee/"
    form = FormReader()
    form.feed(page.text)
    confirm = session.post(
        form.action if form.action.startswith("http") else provider.url + form.action,
        data={**form.fields, "logout": "yes"}, allow_redirects=False, timeout=10,
    )  # fmt: skip
    back, _ = follow_provider(session, confirm.headers["location"], provider.url)
    assert back == f"{SITE}/comptes/deconnexion/terminee/?state={query['state']}"
    assert "Vous êtes déconnecté de Paliers" in client.get(local_path(back)).content.decode()


def test_cancelling_at_the_provider(client, world, provider):
    back, _ = oidc_sign_in(client, provider, "agent-claire", action="abort")
    response = client.get(back)
    assert response.status_code == 200 and "Connexion annulée" in response.content.decode()
    assert signed_in_user(client) is None
    assert "Connexion annulée" in AuditEvent.objects.get(kind=EventKind.LOGIN_FAILED).detail


def test_a_replayed_answer_is_refused(client, world, provider):
    back, _ = oidc_sign_in(client, provider, "agent-claire")
    assert client.get(back).status_code == 302
    client.post("/comptes/deconnexion/")
    response = client.get(back)
    assert response.status_code == 400
    assert "Ce lien de connexion a déjà servi ou a expiré" in response.content.decode()
    # From another browser (no state in its session), likewise.
    other = client.__class__()
    assert other.get(back).status_code == 400


@pytest.mark.parametrize(
    ("mode", "title"),
    [
        ("signature", "La réponse du service d’identité n’a pas pu être vérifiée"),
        ("audience", "La réponse du service d’identité n’était pas destinée à Paliers"),
        ("expired", "La réponse du service d’identité a expiré"),
    ],
)
def test_forged_id_tokens_are_refused(client, world, provider, mode, title):
    back, _ = oidc_sign_in(client, provider, "agent-claire")
    provider.set_mode(mode)
    try:
        response = client.get(back)
    finally:
        provider.set_mode("")
    assert response.status_code == 400 and title in response.content.decode()
    assert signed_in_user(client) is None and not Identity.objects.exists()
    assert title in AuditEvent.objects.get(kind=EventKind.LOGIN_FAILED).detail


def test_an_unreachable_provider(client, world, settings, provider, caplog):
    closed = free_port()
    use_providers(
        settings,
        provider.environment(DISCOVERY_URL=f"http://127.0.0.1:{closed}/.well-known/openid-configuration"),
    )
    response = client.get("/comptes/connexion/oidc/proconnect/")
    assert response.status_code == 503
    assert "Le service d’identité ne répond pas" in response.content.decode()
    assert "proconnect" in caplog.text and "unreachable" in caplog.text


def test_a_provider_that_goes_down_during_the_sign_in(client, world, settings):
    short_lived = OidcProvider([SITE])
    try:
        use_providers(settings, short_lived.environment())
        short_lived.set_people({"agent-claire": {"email": "claire.martin@ac-creteil.fr"}})
        back, _ = oidc_sign_in(client, short_lived, "agent-claire")
    finally:
        short_lived.close()
    response = client.get(back)
    assert response.status_code == 503 and "ne répond pas" in response.content.decode()


def test_an_unknown_provider_name(client, world):
    response = client.get("/comptes/connexion/oidc/inconnu/")
    assert response.status_code == 404 and "Ce moyen de connexion n’existe pas" in response.content.decode()


def test_the_lock_out_covers_sso(client, world, provider, settings):
    AccessAttempt.objects.create(
        username=world.head.username, ip_address="127.0.0.1", user_agent="", failures_since_start=99,
        get_data="", post_data="", http_accept="", path_info="/comptes/connexion/",
    )  # fmt: skip
    response = client.get(oidc_sign_in(client, provider, "agent-claire")[0])
    assert response.status_code == 429 and "Connexion temporairement bloquée" in response.content.decode()
    assert signed_in_user(client) is None
    assert AuditEvent.objects.get(kind=EventKind.LOCKED_OUT).user == world.head


def test_passwords_turned_off_by_the_academy_leave_sso(client, world, provider):
    AcademySignIn.objects.create(academy=world.creteil, local_passwords=False)
    response = client.post(
        "/comptes/connexion/", {"username": "directeur", "password": "mot de passe de test"}
    )
    assert (
        response.status_code == 200
        and "Les mots de passe Paliers sont désactivés" in response.content.decode()
    )
    assert signed_in_user(client) is None
    # Another académie's people keep theirs.
    response = client.post(
        "/comptes/connexion/", {"username": "principal-versailles", "password": "mot de passe de test"}
    )
    assert response.status_code == 302
    client.post("/comptes/deconnexion/")
    assert client.get(oidc_sign_in(client, provider, "agent-claire")[0]).status_code == 302
    assert signed_in_user(client) == str(world.head.pk)


def test_passwords_turned_off_everywhere(client, world, settings):
    settings.LOCAL_PASSWORDS = False
    page = client.get("/comptes/connexion/").content.decode()
    assert "fr-connect" in page and 'name="password"' not in page
    response = client.post(
        "/comptes/connexion/", {"username": "principal-versailles", "password": "mot de passe de test"}
    )
    assert "Les mots de passe Paliers sont désactivés" in response.content.decode()


def test_personal_data_export_lists_identities(client, world, provider):
    client.get(oidc_sign_in(client, provider, "agent-claire")[0])
    data = client.get("/comptes/mes-donnees/").json()
    [identity] = data["donnees"]["identities.identity"]
    assert identity["provider"] == "proconnect" and identity["subject"] == "agent-claire"
    assert identity["issuer"] == provider.url and identity["linked_at"]

"""Sign-in through an ENT's CAS against a real CAS server process (django-cas-server)."""

import pytest

from paliers.audit.models import AuditEvent, EventKind
from paliers.identities.models import Identity

from .factories import make_world
from .identity_servers import CasServer, free_port, use_providers
from .sso_flows import cas_sign_in


@pytest.fixture(scope="module")
def cas():
    started = CasServer()
    yield started
    started.close()


@pytest.fixture
def world(db, settings, cas):
    use_providers(settings, cas.environment())
    w = make_world()
    w.referent.email = "julie.bernard@ac-creteil.fr"
    w.referent.save()
    cas.set_people(
        {
            "jbernard": {"password": "ent-secret", "attributes": {"mail": "julie.bernard@ac-creteil.fr"}},
            "inconnu": {"password": "ent-secret", "attributes": {"mail": "personne@ac-creteil.fr"}},
        }
    )
    return w


def test_sign_in_links_the_ent_identity(client, world, cas):
    back, _ = cas_sign_in(client, cas, "jbernard", "ent-secret")
    response = client.get(back)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(world.referent.pk)
    identity = Identity.objects.get(user=world.referent)
    assert (identity.provider, identity.issuer, identity.subject) == ("cas", cas.url, "jbernard")
    assert "ENT de test, identité jbernard" in AuditEvent.objects.get(kind=EventKind.LOGIN).detail
    # The e-mail changes in the ENT: the link still leads to the same account.
    client.post("/comptes/deconnexion/")
    cas.set_people(
        {"jbernard": {"password": "ent-secret", "attributes": {"mail": "j.bernard@ac-creteil.fr"}}}
    )
    client.get(cas_sign_in(client, cas, "jbernard", "ent-secret")[0])
    assert client.session["_auth_user_id"] == str(world.referent.pk)


def test_a_ticket_serves_once(client, world, cas):
    back, _ = cas_sign_in(client, cas, "jbernard", "ent-secret")
    assert client.get(back).status_code == 302
    client.post("/comptes/deconnexion/")
    response = client.get(back)
    assert response.status_code == 400 and "déjà servi" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_nobody_enters_uninvited(client, world, cas):
    response = client.get(cas_sign_in(client, cas, "inconnu", "ent-secret")[0])
    assert response.status_code == 403 and "personne@ac-creteil.fr" in response.content.decode()
    assert "ENT de test" in AuditEvent.objects.get(kind=EventKind.LOGIN_FAILED).detail


def test_sign_out_ends_the_ent_session(client, world, cas):
    client.get(cas_sign_in(client, cas, "jbernard", "ent-secret")[0])
    response = client.post("/comptes/deconnexion/")
    assert response.context["provider_url"].startswith(f"{cas.url}logout?service=")
    assert "comptes%2Fdeconnexion%2Fterminee" in response.context["provider_url"]
    assert "_auth_user_id" not in client.session


def test_an_unreachable_cas_server(client, world, settings):
    closed = f"http://127.0.0.1:{free_port()}/cas/"
    use_providers(settings, {"PALIERS_CAS_SERVER_URL": closed})
    response = client.get("/comptes/connexion/cas/?ticket=ST-quelconque")
    assert response.status_code == 503 and "Le service d’identité ne répond pas" in response.content.decode()

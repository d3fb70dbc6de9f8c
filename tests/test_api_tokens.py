"""Personal API tokens: stored as a hash, refused once revoked, created and revoked from
the account pages or with `paliers create_api_token`."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from paliers.api.models import ApiToken
from paliers.audit.models import AuditEvent, EventKind

from .test_api import API, call, make_api_world


@pytest.fixture
def world(db):
    return make_api_world()


def test_revoked_token_and_inactive_user_are_refused(client, world):
    token = ApiToken.objects.get(user=world.head)
    assert call(client, world, "head", "get", "/campaigns").status_code == 200
    token.revoke()
    assert call(client, world, "head", "get", "/campaigns").status_code == 401
    world.referent.is_active = False
    world.referent.save()
    assert call(client, world, "referent", "get", "/campaigns").status_code == 401


def test_last_used_at_is_written_at_most_once_a_minute(client, world):
    token = ApiToken.objects.get(user=world.head)
    assert token.last_used_at is None
    call(client, world, "head", "get", "/campaigns")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    call(client, world, "head", "get", "/campaigns")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    call(client, world, "head", "get", "/campaigns")
    token.refresh_from_db()
    assert token.last_used_at > first


def test_only_the_hash_is_stored(world):
    token = ApiToken.objects.get(user=world.head)
    key = world.keys["head"]
    assert key.startswith("pal_") and len(key) > 40
    assert key not in {token.key_hash, token.name} and token.prefix == key[:8]
    assert re.fullmatch(r"[0-9a-f]{64}", token.key_hash)


def test_tokens_page_creates_a_token_shown_once_and_revokes(client, world):
    client.force_login(world.member)
    assert client.get("/comptes/mon-compte/").content.decode().count("/comptes/jetons/") == 1
    response = client.post("/comptes/jetons/", {"name": "Mon tableur"})
    assert response.status_code == 200
    key = re.search(r"pal_[\w-]{40,}", response.content.decode())[0]
    token = ApiToken.objects.get(user=world.member, name="Mon tableur")
    assert token.prefix == key[:8]
    api_client = type(client)()
    headers = {"Authorization": f"Bearer {key}"}
    assert api_client.get(f"{API}/assessments", headers=headers).json()["count"] == 1
    page = client.get("/comptes/jetons/").content.decode()
    assert key not in page and "Mon tableur" in page and token.prefix in page
    assert re.search(r"<td[^>]*>Mon tableur</td>", page)  # listed among the active tokens
    assert client.post(f"/comptes/jetons/{token.pk}/revoquer/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_client.get(f"{API}/assessments", headers=headers).status_code == 401
    assert not re.search(r"<td[^>]*>Mon tableur</td>", client.get("/comptes/jetons/").content.decode())
    journalled = AuditEvent.objects.filter(kind=EventKind.API_TOKEN).order_by("pk")
    assert [(e.user, e.academy, e.detail) for e in journalled] == [
        (world.member, world.creteil, "jeton créé : Mon tableur"),
        (world.member, world.creteil, "jeton révoqué : Mon tableur"),
    ]


def test_tokens_page_refuses_an_empty_name_and_other_peoples_tokens(client, world):
    client.force_login(world.member)
    response = client.post("/comptes/jetons/", {"name": ""})
    assert response.status_code == 200 and not re.search(r"pal_[\w-]{40,}", response.content.decode())
    assert not ApiToken.objects.filter(user=world.member).exclude(name="tests").exists()
    someone_elses = ApiToken.objects.get(user=world.head)
    assert client.post(f"/comptes/jetons/{someone_elses.pk}/revoquer/").status_code == 404
    someone_elses.refresh_from_db()
    assert someone_elses.revoked_at is None
    assert not AuditEvent.objects.filter(kind=EventKind.API_TOKEN).exists()  # nothing was done


def test_create_api_token_command_prints_a_working_token(client, world):
    out = StringIO()
    call_command("create_api_token", "inspectrice", "--name", "export", stdout=out)
    key = out.getvalue().strip()
    assert ApiToken.objects.get(user=world.observer, name="export").prefix == key[:8]
    response = client.get(f"{API}/assessments", headers={"Authorization": f"Bearer {key}"})
    assert response.json()["count"] == 2
    with pytest.raises(CommandError, match="Utilisateur inconnu"):
        call_command("create_api_token", "personne")

"""The security journal, personal data download and account deletion (RGPD)."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from paliers.accounts.invitations import revoke
from paliers.accounts.models import DELETED_ACCOUNT, Membership, Role
from paliers.api.models import ApiToken
from paliers.assessments import answering
from paliers.assessments.models import AnswerChange
from paliers.audit.models import AuditEvent, EventKind
from paliers.objectives.models import Objective

from .factories import make_world, user
from .test_api import make_api_world

pytestmark = pytest.mark.usefixtures("during_campaign")  # the test worlds' 2025-2026 campaigns are open


@pytest.fixture
def world(db):
    return make_api_world()


def events(kind):
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


def test_logins_failures_and_lock_outs_are_recorded(client, world):
    client.post(
        reverse("login"),
        {"username": "directeur", "password": "mot de passe de test"},
        REMOTE_ADDR="10.1.2.3",
    )
    [login] = events(EventKind.LOGIN)
    assert login.user == world.head and login.ip_address == "10.1.2.3" and login.academy == world.creteil
    assert "directeur d’école" in login.scope and "Robert Doisneau" in login.scope
    with override_settings(AXES_FAILURE_LIMIT=3):
        for _ in range(3):
            client.post(
                reverse("login"), {"username": "referent", "password": "faux"}, REMOTE_ADDR="10.9.9.9"
            )
    failures = events(EventKind.LOGIN_FAILED)
    assert len(failures) == 3 and all(e.username == "referent" and e.user == world.referent for e in failures)
    [locked] = events(EventKind.LOCKED_OUT)
    assert locked.username == "referent" and locked.ip_address == "10.9.9.9"
    client.post(reverse("login"), {"username": "personne", "password": "x"})
    assert events(EventKind.LOGIN_FAILED)[-1].user is None  # an unknown login is recorded as typed


def test_role_changes_and_imports_are_recorded(world):
    granted = Membership.objects.create(user=world.nobody, role=Role.OBSERVER, department=world.val_de_marne,
                                        created_by=world.admin)  # fmt: skip
    [event] = [e for e in events(EventKind.ROLE_GRANTED) if e.user == world.admin]
    assert event.academy == world.creteil and "Val-de-Marne" in event.detail
    revoke(granted, world.admin)
    [revoked] = events(EventKind.ROLE_REVOKED)
    assert revoked.user == world.admin and "sans-role" in revoked.detail
    granted.save()  # saving an already revoked role again records nothing more
    assert len(events(EventKind.ROLE_REVOKED)) == 1


def test_journal_shows_the_events_of_the_administrators_academies_only(client, world):
    client.post(reverse("login"), {"username": "principal-versailles", "password": "mot de passe de test"})
    client.post(reverse("login"), {"username": "directeur", "password": "mot de passe de test"})
    client.force_login(world.admin)
    page = client.get(reverse("audit:journal"))
    usernames = [e.username for e in page.context["page"]]
    assert "directeur" in usernames and "principal-versailles" not in usernames
    filtered = client.get(reverse("audit:journal"), {"evenement": "role_donne"})
    assert {e.kind for e in filtered.context["page"]} == {EventKind.ROLE_GRANTED}


def test_purge_keeps_a_year(world):
    old = AuditEvent.objects.create(kind=EventKind.LOGIN, username="ancien")
    AuditEvent.objects.filter(pk=old.pk).update(at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    recent = AuditEvent.objects.create(kind=EventKind.LOGIN, username="récent")
    call_command("purge_audit", verbosity=0)
    assert (
        not AuditEvent.objects.filter(pk=old.pk).exists() and AuditEvent.objects.filter(pk=recent.pk).exists()
    )


def test_my_data_holds_what_is_about_me_and_no_secret(client, world):
    answering.replace_answers(
        world.assessment, [{"criterion": "PIL.1.1", "value": "atteint"}], user=world.referent
    )
    answering.replace_answers(
        world.assessment, [{"criterion": "PIL.1.2", "value": "atteint"}], user=world.head
    )
    framework = world.ecoles_campaign.framework
    Objective.objects.create(
        school=world.ecole, framework=framework, domain=framework.domains.get(code="FOR"),
        level=framework.levels.get(number=2), title="Former l’équipe", is_draft=True, pilot=world.referent,
    )  # fmt: skip
    client.force_login(world.referent)
    response = client.get(reverse("my_data"))
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees-paliers.json"'
    data = json.loads(response.content)
    assert data["compte"]["username"] == "referent"
    changes = data["donnees"]["assessments.answerchange"]
    assert [c["criterion"] for c in changes] == [
        world.assessment.campaign.framework.criteria.get(code="PIL.1.1").pk
    ]
    assert data["donnees"]["objectives.objective"][0]["title"] == "Former l’équipe"
    assert data["donnees"]["api.apitoken"][0]["name"] == "tests"
    text = response.content.decode()
    assert "key_hash" not in text and "password" not in text and "argon2" not in text
    assert events(EventKind.PERSONAL_DATA)[0].user == world.referent


def test_deleting_an_account_keeps_the_history_as_compte_supprime(client, world):
    answering.replace_answers(
        world.assessment, [{"criterion": "PIL.1.1", "value": "atteint"}], user=world.referent
    )
    client.post(reverse("login"), {"username": "referent", "password": "mot de passe de test"})
    client.force_login(world.admin)
    url = reverse("account_delete", args=[world.referent.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    world.referent.refresh_from_db()
    person = world.referent
    assert str(person) == DELETED_ACCOUNT and person.deleted_at and not person.is_active
    assert person.email == "" and person.first_name == "" and "referent" not in person.username
    assert not person.has_usable_password() and not ApiToken.objects.filter(user=person).exists()
    assert not Membership.objects.active().filter(user=person).exists()
    change = AnswerChange.objects.get(criterion__code="PIL.1.1")
    assert change.changed_by == person and str(change.changed_by) == DELETED_ACCOUNT
    assert all(e.username == DELETED_ACCOUNT for e in AuditEvent.objects.filter(user=person))
    assert not AuditEvent.objects.filter(detail__contains="referent").exists()
    assert events(EventKind.ACCOUNT_DELETED)[0].user == world.admin
    # Gone from the list of deletable accounts: a second deletion finds nothing.
    assert client.post(url).status_code == 404


def test_only_an_administrator_of_every_academy_of_the_person_may_delete(client, db):
    w = make_world()
    both = user("deux-academies", Role.OBSERVER, w.val_de_marne)
    Membership.objects.create(user=both, role=Role.OBSERVER, department=w.yvelines)
    client.force_login(w.admin)
    assert client.get(reverse("account_delete", args=[both.pk])).status_code == 404  # also in Versailles
    assert client.get(reverse("account_delete", args=[w.admin.pk])).status_code == 404  # not oneself
    assert client.get(reverse("account_delete", args=[w.other_head.pk])).status_code == 404
    client.force_login(w.head)
    assert client.get(reverse("account_delete", args=[w.member.pk])).status_code == 403


def test_data_protection_page_is_public_and_linked_from_every_page(client, db):
    response = client.get(reverse("data_protection"))
    assert response.status_code == 200 and "Un an" in response.content.decode()
    assert reverse("data_protection") in client.get(reverse("home")).content.decode()

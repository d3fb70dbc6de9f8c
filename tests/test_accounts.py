import re

import pytest
from django.core import mail
from django.urls import reverse

import paliers.settings as project_settings
from paliers.accounts.models import Membership, Role
from paliers.audit.models import AuditEvent, EventKind

from .factories import make_world, user


@pytest.fixture
def world(db):
    return make_world()


def test_passwords_are_hashed_with_argon2_and_sessions_expire():
    # The test settings swap in a fast hasher; the project's own list is what production runs.
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert project_settings.SESSION_COOKIE_AGE == 8 * 3600
    assert project_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_login_and_logout(client, world):
    response = client.post(reverse("login"), {"username": "dan", "password": "mot de passe de test"})
    assert response.status_code == 302
    assert client.get(reverse("my_account")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("my_account")).status_code == 302


def test_repeated_failures_lock_the_login(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "dan", "password": "faux"})
    response = client.post(reverse("login"), {"username": "dan", "password": "mot de passe de test"})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()


def test_password_reset_by_email(client, world):
    world.admin.email = "dan@ac-creteil.fr"
    world.admin.save()
    response = client.post(reverse("password_reset"), {"email": "dan@ac-creteil.fr"})
    assert response.status_code == 302
    [message] = mail.outbox
    # Django's form sends it, set as every e-mail (core/mail.py): no line starts with « : ».
    assert message.subject == "Paliers\u00a0: choisir un nouveau mot de passe"
    assert "ignorez ce message\u00a0: rien ne change" in message.body
    link = re.search(r"https?://[^/]+(/comptes/reinitialisation/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choisir votre mot de passe" in form_page.content.decode()
    new_password = "une phrase de passe toute neuve"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response.status_code == 302
    world.admin.refresh_from_db()
    assert world.admin.check_password(new_password)
    assert client.get(link, follow=True).context["validlink"] is False  # the link served once
    [journalled] = AuditEvent.objects.filter(kind=EventKind.PASSWORD)
    assert journalled.user == world.admin and journalled.academy == world.creteil
    assert journalled.detail == "mot de passe choisi par le lien reçu par courriel"


def test_password_change(client, world):
    client.force_login(world.head)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "mot de passe de test",
            "new_password1": "encore une phrase de passe",
            "new_password2": "encore une phrase de passe",
        },
    )
    assert response.status_code == 302
    world.head.refresh_from_db()
    assert world.head.check_password("encore une phrase de passe")
    [journalled] = AuditEvent.objects.filter(kind=EventKind.PASSWORD)
    assert journalled.user == world.head and journalled.detail == "mot de passe choisi depuis « Mon compte »"
    # A refused change (wrong current password) changes nothing and records nothing.
    client.post(reverse("password_change"), {"old_password": "faux", "new_password1": "x" * 20,
                                             "new_password2": "x" * 20})  # fmt: skip
    assert AuditEvent.objects.filter(kind=EventKind.PASSWORD).count() == 1


def test_my_account_lists_roles(client, world):
    client.force_login(world.head)
    html = client.get(reverse("my_account")).content.decode()
    assert "Directeur ou directrice d’école — École élémentaire Robert Doisneau" in html  # an école: its word


def test_a_membership_has_exactly_one_scope(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=world.nobody, role=Role.OBSERVER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=world.nobody, role=Role.OBSERVER, academy=world.creteil, department=world.val_de_marne
        )


def test_user_factory_gives_usable_accounts(db):
    assert user("x").check_password("mot de passe de test")

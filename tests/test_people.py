import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from paliers.accounts import invitations
from paliers.accounts.models import Membership, Role
from paliers.accounts.scoping import schools_for

from .factories import make_world, school
from .pages import plain


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.admin)
    return client


def invite(client, **data):
    return client.post(reverse("people:invite"), {"first_name": "", "last_name": "", **data})


def test_inviting_a_head_creates_the_account_and_sends_a_link(
    admin_client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            admin_client,
            email="Direction.Doisneau@ac-creteil.fr",
            role=Role.SCHOOL_HEAD,
            school_uai=world.ecole.uai.lower(),
        )
    assert response.status_code == 302
    invited = get_user_model().objects.get(email="direction.doisneau@ac-creteil.fr")
    assert not invited.has_usable_password()
    assert Membership.objects.get(user=invited).school == world.ecole
    [message] = mail.outbox
    assert "Delphine" in message.body and "en tant que directeur ou directrice d’école" in message.body
    link = re.search(r"https?://[^/]+(/comptes/reinitialisation/\S+)", message.body).group(1)

    admin_client.logout()
    page = admin_client.get(link, follow=True)
    assert "direction.doisneau@ac-creteil.fr" in page.content.decode()
    password = "une phrase de passe pour la direction"
    admin_client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    invited.refresh_from_db()
    assert invited.check_password(password)
    assert list(schools_for(invited)) == [world.ecole]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"role": Role.SCHOOL_HEAD, "school_uai": "0940000A"},
            "school_uai",
            "Aucune école de votre académie",
        ),
        ({"role": Role.SCHOOL_MEMBER}, "school_uai", "Ce rôle s’exerce dans une école"),
        ({"role": Role.ANIMATOR}, "district", "Un animateur suit un département ou un district"),
    ],
)
def test_invitation_errors_name_the_field(admin_client, world, data, field, message):
    response = invite(admin_client, email="quelqu.un@ac-creteil.fr", **data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not get_user_model().objects.filter(email="quelqu.un@ac-creteil.fr").exists()


def test_a_school_of_another_academy_cannot_be_given(admin_client, world):
    response = invite(
        admin_client, email="x@ac-versailles.fr", role=Role.SCHOOL_HEAD, school_uai=world.other.uai
    )
    assert "Aucune école de votre académie" in " ".join(response.context["form"].errors["school_uai"])


def test_an_observer_for_the_whole_academy(admin_client, world):
    invite(admin_client, email="ipr@ac-creteil.fr", role=Role.OBSERVER)
    membership = Membership.objects.get(user__email="ipr@ac-creteil.fr")
    assert membership.academy == world.creteil


def test_inviting_an_existing_person_adds_a_role(admin_client, world):
    world.observer.email = "ines@ac-creteil.fr"
    world.observer.save()
    invite(admin_client, email="INES@ac-creteil.fr", role=Role.ANIMATOR, district=world.fresnes.pk)
    assert world.observer.memberships.count() == 2


def test_inviting_the_heads_of_many_schools(admin_client, world, django_capture_on_commit_callbacks):
    school(world.val_de_marne, 4004, "École maternelle Les Tilleuls", email="ce.0944004X@ac-creteil.fr")
    preview = admin_client.get(reverse("people:invite_heads"), {"department": world.val_de_marne.pk})
    plan = preview.context["plan"]
    assert [s.name for s in plan.invited] == ["École maternelle Les Tilleuls"]
    assert [s.name for s in plan.already] == ["École élémentaire Robert Doisneau"]
    assert [s.name for s in plan.without_email] == ["Collège Francine Fromond"]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("people:invite_heads"), {"department": world.val_de_marne.pk, "confirm": "1"}
        )
    assert Membership.objects.filter(role=Role.SCHOOL_HEAD, user__email="ce.0944004x@ac-creteil.fr").exists()
    assert len(mail.outbox) == 1


def test_inviting_many_heads_is_all_or_nothing(admin_client, world, monkeypatch):
    for number in range(5):
        school(world.seine_et_marne, 5000 + number, f"École {number}", email=f"ce.{number}@ac-creteil.fr")
    real_invite = invitations.invite
    calls = []

    def failing_invite(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("panne du serveur de messagerie")
        return real_invite(**kwargs)

    monkeypatch.setattr(invitations, "invite", failing_invite)
    before = Membership.objects.count()
    with pytest.raises(RuntimeError):
        admin_client.post(
            reverse("people:invite_heads"), {"department": world.seine_et_marne.pk, "confirm": "1"}
        )
    assert Membership.objects.count() == before
    assert not get_user_model().objects.filter(email__startswith="ce.").exists()


def test_revoking_a_role_removes_the_scope(admin_client, world):
    membership = world.member.memberships.get()
    response = admin_client.post(reverse("people:revoke", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.revoked_by == world.admin
    world.member.refresh_from_db()
    assert not schools_for(world.member).exists()
    listing = admin_client.get(reverse("people:list")).content.decode()
    assert "membre" not in listing.split("<tbody>")[1].split("</tbody>")[0]


def test_people_list_search_and_filter(admin_client, world):
    response = admin_client.get(reverse("people:list"), {"role": Role.SCHOOL_HEAD})
    assert [m.user.username for m in response.context["page"]] == ["directeur"]
    response = admin_client.get(reverse("people:list"), {"q": world.ecole.uai})
    assert {m.user.username for m in response.context["page"]} == {"directeur", "referent", "membre"}
    # Another académie's people never show.
    assert "principal-versailles" not in admin_client.get(reverse("people:list")).content.decode()


def test_an_invitation_where_passwords_are_off_says_to_sign_in_with_the_identity_service(
    admin_client, world, django_capture_on_commit_callbacks, monkeypatch
):
    from django.conf import settings

    from paliers.identities.models import AcademySignIn

    proconnect = {
        "PALIERS_OIDC_PROVIDERS": "proconnect",
        "PALIERS_OIDC_PROCONNECT_DISCOVERY_URL": "https://auth.example/.well-known/openid-configuration",
        "PALIERS_OIDC_PROCONNECT_CLIENT_ID": "id",
        "PALIERS_OIDC_PROCONNECT_CLIENT_SECRET": "secret",
    }
    monkeypatch.setattr(settings, "SIGN_IN_ENVIRONMENT", proconnect)
    AcademySignIn.objects.create(academy=world.creteil, local_passwords=False)
    with django_capture_on_commit_callbacks(execute=True):
        invite(
            admin_client,
            email="direction.doisneau@ac-creteil.fr",
            role=Role.SCHOOL_HEAD,
            school_uai=world.ecole.uai,
        )
    [message] = mail.outbox
    assert "Vous n’avez pas de mot de passe à choisir : connectez-vous avec ProConnect" in plain(message.body)
    assert "/comptes/reinitialisation/" not in message.body and "/connexion/" in message.body
    AcademySignIn.objects.filter(academy=world.creteil).update(local_passwords=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite(
            admin_client,
            email="referent.doisneau@ac-creteil.fr",
            role=Role.SCHOOL_REFERENT,
            school_uai=world.ecole.uai,
        )
    [message] = mail.outbox
    assert "/comptes/reinitialisation/" in message.body
    assert "Vous pouvez aussi vous connecter sans mot de passe Paliers, avec ProConnect" in message.body

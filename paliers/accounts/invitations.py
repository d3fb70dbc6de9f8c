"""Inviting people: a membership, and a link to choose a password.

The link is Django's password-reset link (a signed token, valid PASSWORD_RESET_TIMEOUT,
that stops working once the password is set): an invitation needs nothing more.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.module_loading import import_string

from paliers.core import mail

from .models import Membership, Role


def memberships_of_academies(academies):
    """Memberships whose scope lies inside the given académies."""
    return Membership.objects.filter(
        Q(academy__in=academies)
        | Q(department__academy__in=academies)
        | Q(district__department__academy__in=academies)
        | Q(school__department__academy__in=academies)
    )


def find_or_create_user(email, first_name="", last_name=""):
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    return user


def invite(*, email, role, scope, invited_by, first_name="", last_name=""):
    """Give `role` on `scope` to the person with this e-mail, creating their account if
    needed; the e-mail with the link leaves once the transaction commits."""
    user = find_or_create_user(email, first_name, last_name)
    scope_field = type(scope).__name__.lower()  # academy, department, district or school
    membership, created = Membership.objects.active().get_or_create(
        user=user, role=role, **{scope_field: scope}, defaults={"created_by": invited_by}
    )
    if created:
        transaction.on_commit(lambda: send_invitation(membership, invited_by))
    return membership, created


def send_invitation(membership, inviter, domain=None, protocol="https"):
    user = membership.user
    context = {
        "membership": membership,
        "inviter": inviter.get_full_name() or inviter.username,
        "username": user.username,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "domain": domain or settings.SITE_DOMAIN,
        "protocol": protocol if domain else settings.SITE_PROTOCOL,
        "has_password": user.has_usable_password(),
        # Passwords may be off for this person's académie: the e-mail then names the identity services.
        "sign_in": import_string(settings.INVITATION_SIGN_IN)(user),
    }
    # In the recipient's language (their choice, else French): not the sender's.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/emails/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/emails/invitation.txt", context)
        mail.send(subject, body, [user.email])


def revoke(membership, revoked_by):
    membership.revoked_at = timezone.now()
    membership.revoked_by = revoked_by
    membership.save(update_fields=["revoked_at", "revoked_by"])


@dataclass
class HeadsInvitation:
    invited: list = field(default_factory=list)  # schools whose head was invited now
    already: list = field(default_factory=list)  # schools that already have a head
    without_email: list = field(default_factory=list)  # schools the directory gives no address for


def plan_heads_invitation(schools):
    """What inviting the heads of these schools would do, without doing it."""
    with_head = set(
        Membership.objects.active()
        .filter(role=Role.SCHOOL_HEAD, school__in=schools)
        .values_list("school_id", flat=True)
    )
    plan = HeadsInvitation()
    for school in schools.order_by("sort_name", "uai"):
        if school.pk in with_head:
            plan.already.append(school)
        elif not school.email:
            plan.without_email.append(school)
        else:
            plan.invited.append(school)
    return plan


@transaction.atomic
def invite_heads(schools, invited_by):
    """Invite the head of every school that has an address and no head yet: all or none."""
    plan = plan_heads_invitation(schools)
    for school in plan.invited:
        invite(email=school.email, role=Role.SCHOOL_HEAD, scope=school, invited_by=invited_by)
    return plan

"""Who may enter through a provider: only invited people, and never with a new role.

The first sign-in links the provider's identity (issuer + subject) to the account invited
with that e-mail, or to the invitation an académie's rule writes for a matching claim;
later sign-ins follow the link, so a change of e-mail at the provider changes nothing.
"""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from paliers.accounts.invitations import find_or_create_user
from paliers.accounts.models import Membership, Role
from paliers.schools.models import School

from .failures import SignInFailure
from .models import AdmissionRule, Identity, RuleScope

UAI_AT_START = re.compile(r"^\s*(\d{7}[A-Za-z])")


@dataclass
class Admission:
    user: object
    identity: Identity
    first_link: bool
    granted: list  # memberships written by académie rules at this sign-in


def claim_values(claims, name):
    value = claims.get(name)
    if value is None:
        return []
    values = value if isinstance(value, list | tuple) else [value]
    return [str(v) for v in values if v not in (None, "")]


def has_role(user):
    return user.is_superuser or Membership.objects.active().filter(user=user).exists()


def rule_grants(provider, claims):
    """(rule, scope) pairs: the académie rules this identity's claims satisfy."""
    grants = []
    for rule in AdmissionRule.objects.filter(provider=provider).select_related("academy"):
        for value in claim_values(claims, rule.claim):
            if rule.value and not value.startswith(rule.value):
                continue
            if rule.scope == RuleScope.ACADEMY:
                grants.append((rule, rule.academy))
                break
            match = UAI_AT_START.match(value)
            school = (
                match
                and School.objects.filter(
                    uai=match.group(1).upper(), department__academy=rule.academy
                ).first()
            )
            if school:
                grants.append((rule, school))
    return grants


def account_for_rule(email, grants):
    """The account a rule-admitted person gets: the one invited with their e-mail, else the
    head invited on the school's official mailbox (ce.UAI@…) and not yet linked, else a new one."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email, deleted_at__isnull=True).order_by("pk").first()
    if user:
        return user
    for rule, scope in grants:
        if rule.role == Role.SCHOOL_HEAD and isinstance(scope, School) and scope.email:
            head = (
                User.objects.filter(
                    email__iexact=scope.email, deleted_at__isnull=True, identities__isnull=True
                )
                .filter(
                    memberships__role=Role.SCHOOL_HEAD,
                    memberships__school=scope,
                    memberships__revoked_at__isnull=True,
                )
                .first()
            )
            if head:
                return head
    return find_or_create_user(email)


def grant(user, grants):
    written = []
    for rule, scope in grants:
        field = type(scope).__name__.lower()
        membership, created = Membership.objects.active().get_or_create(
            user=user, role=rule.role, **{field: scope}, defaults={"created_by": rule.created_by}
        )
        if created:
            written.append(membership)
    return written


@transaction.atomic
def admit(*, provider, issuer, subject, claims, email_claim="email"):
    """The account this identity signs in to, or SignInFailure saying why not."""
    emails = claim_values(claims, email_claim)
    email = emails[0].strip().lower() if emails else ""
    identity = Identity.objects.select_for_update().filter(issuer=issuer, subject=subject).first()
    if identity is not None:
        user = identity.user
        if not user.is_active or user.deleted_at or not has_role(user):
            raise SignInFailure("inactive", f"compte n° {user.pk}", email=email, user=user)
        identity.email = email or identity.email
        identity.last_sign_in_at = timezone.now()
        identity.save(update_fields=["email", "last_sign_in_at"])
        return Admission(user, identity, first_link=False, granted=[])
    if not email:
        raise SignInFailure("no_email", f"sujet {subject}")
    User = get_user_model()
    user = (
        User.objects.filter(email__iexact=email, is_active=True, deleted_at__isnull=True)
        .order_by("pk")
        .first()
    )
    granted = []
    if user is None or not has_role(user):
        grants = rule_grants(provider, claims)
        if not grants:
            raise SignInFailure("not_invited", f"sujet {subject}", email=email, user=user)
        user = account_for_rule(email, grants)
        if not user.is_active:
            raise SignInFailure("inactive", f"compte n° {user.pk}", email=email, user=user)
        granted = grant(user, grants)
    if Identity.objects.filter(user=user, issuer=issuer).exists():
        raise SignInFailure("conflict", f"sujet {subject}", email=email, user=user)
    try:
        with transaction.atomic():
            identity = Identity.objects.create(
                user=user, provider=provider, issuer=issuer, subject=subject, email=email,
                last_sign_in_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError as error:  # the same identity linked by a concurrent first sign-in
        raise SignInFailure("replayed", f"sujet {subject}", email=email) from error
    return Admission(user, identity, first_link=True, granted=granted)

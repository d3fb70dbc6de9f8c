"""Local passwords: allowed unless turned off for everyone or by one of the person's académies."""

from django.conf import settings

from paliers.accounts.scoping import active_memberships
from paliers.audit.journal import academy_of_scope

from .models import AcademySignIn


def academies_without_passwords():
    return set(AcademySignIn.objects.filter(local_passwords=False).values_list("academy_id", flat=True))


def local_password_allowed(user):
    """Superusers keep their password (the technical administrator must always get in)."""
    if user.is_superuser:
        return True
    if not settings.LOCAL_PASSWORDS:
        return False
    closed = academies_without_passwords()
    return not any(academy_of_scope(m.scope).pk in closed for m in active_memberships(user))

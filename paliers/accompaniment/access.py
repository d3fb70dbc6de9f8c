"""Who may do what with a school's accompaniment, on top of the scoping function.

Seeing follows the school's scope (schools_for): its team, its animators, observers and
the académie's staff. Asking for support is for the school's head and référent; recording
what was done and keeping the plan, for the animators whose scope holds the school.
Outside the scope: 404; inside it without the role: 403.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from paliers.accounts.access import get_school_for
from paliers.accounts.models import Role
from paliers.accounts.scoping import schools_for

ASK_ROLES = {Role.SCHOOL_HEAD, Role.SCHOOL_REFERENT}
ACCOMPANY_ROLES = {Role.ANIMATOR}


def may_ask(user, school):
    """The school's head or référent (and only for a school they may change)."""
    return schools_for(user, change=True, roles=ASK_ROLES).filter(pk=school.pk).exists()


def may_accompany(user, school):
    """An animator of a district or département holding the school."""
    return schools_for(user, roles=ACCOMPANY_ROLES).filter(pk=school.pk).exists()


def get_school_to_ask(user, uai):
    school = get_school_for(user, uai)
    if not may_ask(user, school):
        raise PermissionDenied(
            _("Seuls la direction et le référent numérique de l’école demandent un accompagnement.")
        )
    return school


def get_school_to_accompany(user, uai):
    school = get_school_for(user, uai)
    if not may_accompany(user, school):
        raise PermissionDenied(_("Seuls les animateurs du territoire de l’école notent l’accompagnement."))
    return school

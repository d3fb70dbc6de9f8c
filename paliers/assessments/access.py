"""Who may do what with an assessment, on top of the scoping function.

Seeing follows the school's scope (schools_for). Answering collectively is for the
school's head and référent, submitting for its head; any member of the school may give
an individual contribution. Académie staff read.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from paliers.accounts.models import Role
from paliers.accounts.scoping import active_memberships, schools_for

from .models import Assessment

ANSWER_ROLES = {Role.SCHOOL_HEAD, Role.SCHOOL_REFERENT}
SUBMIT_ROLES = {Role.SCHOOL_HEAD}
CONTRIBUTE_ROLES = {Role.SCHOOL_HEAD, Role.SCHOOL_REFERENT, Role.SCHOOL_MEMBER}


def school_roles(user, school):
    """The roles `user` holds on this very school (through a school membership)."""
    return {m.role for m in active_memberships(user) if m.school_id == school.pk}


def visible_assessments(user):
    return Assessment.objects.filter(school__in=schools_for(user))


def get_assessment_for(user, pk, need=None):
    """The assessment if its school is in the user's scope (else 404); with `need` a set of
    roles, 403 unless the user holds one of them on that school and may change it."""
    assessment = (
        visible_assessments(user)
        .select_related("campaign__framework", "school__department__academy")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404(_("Positionnement introuvable dans votre périmètre."))
    if need is not None and not may(user, assessment, need):
        raise PermissionDenied(_("Votre rôle ne permet pas cette action sur ce positionnement."))
    return assessment


def may(user, assessment, roles):
    if need_change(roles) and not schools_for(user, change=True).filter(pk=assessment.school_id).exists():
        return False
    return bool(school_roles(user, assessment.school) & roles)


def need_change(roles):
    """Answering and submitting change the school's data; contributing does not."""
    return roles <= (ANSWER_ROLES | SUBMIT_ROLES)

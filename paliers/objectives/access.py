"""Who may do what with objectives, on top of the scoping function.

Everyone who sees a school sees its objectives. Setting and changing them is for the
school's head and référent (the school's plan, not the académie's); a pilot who is a
member of the school may also record points de situation on their own objectives.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from paliers.accounts.models import Role
from paliers.accounts.scoping import schools_for

from .models import Objective

STEER_ROLES = {Role.SCHOOL_HEAD, Role.SCHOOL_REFERENT}


def steered_schools(user):
    """The schools whose objectives `user` sets: head or référent there, with change rights."""
    return schools_for(user, change=True, roles=STEER_ROLES)


def may_steer(user, school):
    return steered_schools(user).filter(pk=school.pk).exists()


def may_report(user, objective):
    """Record a point de situation: whoever steers the school, or the objective's pilot."""
    return (objective.pilot_id is not None and objective.pilot_id == user.pk) or may_steer(
        user, objective.school
    )


def visible_objectives(user):
    return Objective.objects.filter(school__in=schools_for(user))


def get_objective_for(user, pk, steer=False):
    """The objective if its school is in the user's scope (else 404); with `steer`, 403
    unless the user may set the school's objectives."""
    objective = (
        visible_objectives(user)
        .select_related("school__department", "framework", "domain", "component", "level", "pilot")
        .filter(pk=pk)
        .first()
    )
    if objective is None:
        raise Http404("Objectif introuvable dans votre périmètre.")
    if steer and not may_steer(user, objective.school):
        raise PermissionDenied(
            _("Seuls le chef d’établissement et le référent numérique fixent les objectifs.")
        )
    return objective

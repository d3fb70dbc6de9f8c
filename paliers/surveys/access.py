"""Who may do what with team questionnaires, on top of the scoping function.

Outside the user's scope a questionnaire does not exist for them (404); inside it, the
wrong role is refused (403). The school's head opens it and sets its dates; the head and
the référent read its results and give the leadership's view; académie staff, animators
and observers read aggregates over the schools of their scope, never a school's own page.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from paliers.accounts.models import Role
from paliers.accounts.scoping import schools_for

from .models import TeamSurvey

OPEN_ROLES = {Role.SCHOOL_HEAD}
LEAD_ROLES = {Role.SCHOOL_HEAD, Role.SCHOOL_REFERENT}
AGGREGATE_ROLES = {Role.ACADEMY_ADMIN, Role.ANIMATOR, Role.OBSERVER}


def may(user, school, roles, change=False):
    return schools_for(user, change=change, roles=roles).filter(pk=school.pk).exists()


def get_survey_for(user, pk, roles=LEAD_ROLES, change=False):
    """The questionnaire if its school is in the user's scope (else 404), and the user holds
    one of `roles` on that school (else 403)."""
    survey = (
        TeamSurvey.objects.filter(pk=pk, school__in=schools_for(user))
        .select_related("campaign__framework", "school__department__academy")
        .first()
    )
    if survey is None:
        raise Http404("Questionnaire d’équipe introuvable dans votre périmètre.")
    if not may(user, survey.school, roles, change):
        raise PermissionDenied(_("Votre rôle ne permet pas cette action sur ce questionnaire."))
    return survey


def lead_surveys(user):
    """The questionnaires of the schools where the user is head or référent."""
    return TeamSurvey.objects.filter(school__in=schools_for(user, roles=LEAD_ROLES))


def aggregate_schools(user):
    """The schools whose questionnaires count in the user's aggregates."""
    return schools_for(user, roles=AGGREGATE_ROLES)

"""Links to reports on other apps' pages, each one line in their templates: the tag decides
what the user may do, so those views need not know about reports."""

from django import template

from paliers.assessments.access import ANSWER_ROLES, may
from paliers.assessments.models import AssessmentStatus
from paliers.reports.scope import may_download_scope

register = template.Library()


@register.inclusion_tag("reports/_assessment_downloads.html", takes_context=True)
def assessment_downloads(context, assessment):
    user = context["request"].user
    return {
        "assessment": assessment,
        "can_import": assessment.status == AssessmentStatus.DRAFT and may(user, assessment, ANSWER_ROLES),
    }


@register.inclusion_tag("reports/_scope_downloads.html", takes_context=True)
def scope_downloads(context, campaign):
    return {
        "campaign": campaign,
        "allowed": may_download_scope(context["request"].user),
        "csrf_token": context.get("csrf_token"),  # the ZIP button posts
    }

"""The authoring links on the frameworks' list, for académie administrators only: one line
in that template, so that the frameworks app need not know about authoring."""

from django import template

from paliers.accounts.models import Role
from paliers.accounts.scoping import has_role

register = template.Library()


@register.inclusion_tag("authoring/_links.html", takes_context=True)
def authoring_links(context):
    return {"allowed": has_role(context["request"].user, Role.ACADEMY_ADMIN)}

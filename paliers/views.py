"""Project-level pages that gather several apps (the apps themselves never import upward)."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from paliers.accounts.access import role_required
from paliers.accounts.invitations import memberships_of_academies
from paliers.accounts.models import SCHOOL_ROLES, Membership, Role
from paliers.accounts.scoping import active_memberships, administered_academies
from paliers.assessments.models import Assessment
from paliers.audit.journal import record
from paliers.audit.models import EventKind
from paliers.core.accessibility import shipped_audit
from paliers.frameworks.models import Framework
from paliers.objectives.steering import objective_counts

from .personal_data import delete_account, personal_data


def my_schools(user):
    """For each school where the user has a school role: their role, the assessments of
    the latest school year and the objectives' counts (a person has one or two schools)."""
    schools = {}
    for membership in active_memberships(user):
        if membership.role in SCHOOL_ROLES and membership.school_id:
            schools.setdefault(membership.school, []).append(membership.get_role_display())
    rows = []
    for school, roles in sorted(schools.items(), key=lambda item: item[0].sort_name):
        assessments = list(
            Assessment.objects.filter(school=school)
            .select_related("campaign__framework")
            .order_by("-campaign__school_year", "campaign__framework__title")
        )
        latest_year = assessments[0].campaign.school_year if assessments else None
        rows.append(
            {
                "school": school,
                "roles": roles,
                "assessments": [a for a in assessments if a.campaign.school_year == latest_year],
                "objectives": objective_counts(school),
            }
        )
    return rows


@require_safe
@login_not_required
def home(request):
    return render(
        request,
        "core/home.html",
        {
            "frameworks": Framework.objects.order_by("title", "version"),
            "my_schools": my_schools(request.user) if request.user.is_authenticated else [],
        },
    )


@require_safe
def my_data(request):
    """Everything Paliers holds about the signed-in person, as a JSON file (RGPD, art. 15)."""
    record(EventKind.PERSONAL_DATA, request=request)
    data = json.dumps(personal_data(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-paliers.json"'
    return response


def deletable_accounts(admin):
    """Accounts an académie administrator may delete: every role they ever held lies in
    académies that administrator administers (and not the administrator's own)."""
    academies = administered_academies(admin)
    inside = memberships_of_academies(academies).values("pk")
    return (
        get_user_model()
        .objects.filter(
            memberships__in=memberships_of_academies(academies), is_superuser=False, deleted_at=None
        )
        .exclude(memberships__in=Membership.objects.exclude(pk__in=inside))
        .exclude(pk=admin.pk)
        .distinct()
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.ACADEMY_ADMIN)
def account_delete(request, pk):
    person = get_object_or_404(deletable_accounts(request.user), pk=pk)
    if request.method == "POST":
        delete_account(person, request.user, request)
        messages.success(
            request, _("Le compte est supprimé ; son historique indique désormais « compte supprimé ».")
        )
        return redirect("people:list")
    return render(request, "core/account_delete.html", {"person": person})


@require_safe
@login_not_required
def data_protection(request):
    return render(request, "core/data_protection.html")


@require_safe
@login_not_required
def accessibility(request):
    """The déclaration d'accessibilité, filled from the audit grid kept in the repository."""
    return render(
        request,
        "core/accessibility.html",
        {
            "audit": shipped_audit(),
            "entity": settings.ACCESSIBILITY_ENTITY,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "contact_url": settings.ACCESSIBILITY_CONTACT_URL,
            "multiyear_plan_url": settings.ACCESSIBILITY_MULTIYEAR_PLAN_URL,
            "action_plan_url": settings.ACCESSIBILITY_ACTION_PLAN_URL,
        },
    )

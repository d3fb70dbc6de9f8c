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
from paliers.accounts.models import Membership, Role
from paliers.accounts.scoping import administered_academies
from paliers.audit.journal import record
from paliers.audit.models import EventKind
from paliers.caseload.views import caseload_context, caseload_summaries
from paliers.core.accessibility import shipped_audit
from paliers.frameworks.models import Framework

from . import homes
from .homes import homes_of
from .personal_data import delete_account, personal_data


@require_safe
@login_not_required
def home(request):
    """The public page for visitors; once signed in, the home of the person's role (homes.py).
    A person with several (a head who is also an animator) switches with `?vue=`."""
    available = homes_of(request.user)
    if not available:
        return render(
            request, "core/home.html", {"frameworks": Framework.objects.order_by("title", "version")}
        )
    chosen = request.GET.get("vue")
    view = chosen if chosen in available else available[0]
    context = {"homes": [(key, homes.LABELS[key]) for key in available], "view": view}
    if view == homes.SCHOOL:
        choices = homes.school_choices(request.user)
        wanted = request.GET.get("ecole", "").upper()
        school = next((s for s in choices if s.uai == wanted), choices[0])
        context.update({"schools": choices, "home": homes.school_home(request.user, school)})
        return render(request, "core/home_school.html", context)
    if view == homes.CASELOAD:
        context.update(caseload_context(request))
        status = 400 if context["form"].is_bound and context["form"].errors else 200
        return render(request, "core/home_caseload.html", context, status=status)
    context["home"] = homes.academy_home(request.user)
    context.update(caseload_summaries(request))
    return render(request, "core/home_academy.html", context)


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

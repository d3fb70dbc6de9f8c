"""Managing people: académie administrators invite, list and revoke memberships."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from .access import role_required
from .invitations import invite, invite_heads, memberships_of_academies, plan_heads_invitation, revoke
from .models import Role
from .people_forms import InviteForm, InviteHeadsForm
from .scoping import administered_academies


@require_safe
@role_required(Role.ACADEMY_ADMIN)
def people_list(request):
    academies = list(administered_academies(request.user))
    memberships = (
        memberships_of_academies(academies)
        .active()
        .select_related("user", "academy", "department", "district", "school")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    query = request.GET.get("q", "").strip()
    if query:
        memberships = memberships.filter(
            Q(user__last_name__icontains=query)
            | Q(user__first_name__icontains=query)
            | Q(user__email__icontains=query)
            | Q(school__uai__iexact=query)
        )
    role = request.GET.get("role", "")
    if role in Role.values:
        memberships = memberships.filter(role=role)
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/people_list.html",
        {"page": page, "query": query, "role": role, "roles": Role.choices},
    )


@role_required(Role.ACADEMY_ADMIN)
def people_invite(request):
    academies = list(administered_academies(request.user))
    form = InviteForm(request.POST or None, academies=academies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            membership, created = invite(
                email=data["email"],
                role=data["role"],
                scope=data["scope"],
                invited_by=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        if created:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s (%(role)s).")
                % {"email": data["email"], "role": membership.role_label},
            )
        else:
            messages.info(
                request,
                _("%(email)s a déjà ce rôle sur ce périmètre : rien n’a changé.") % {"email": data["email"]},
            )
        return redirect("people:list")
    return render(request, "accounts/people_invite.html", {"form": form})


@role_required(Role.ACADEMY_ADMIN)
def people_invite_heads(request):
    academies = list(administered_academies(request.user))
    form = InviteHeadsForm(request.POST or request.GET or None, academies=academies)
    plan = None
    if form.is_bound and form.is_valid():
        schools = form.schools()
        if request.method == "POST" and "confirm" in request.POST:
            plan = invite_heads(schools, request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)s invitation envoyée aux directions.",
                    "%(count)s invitations envoyées aux directions.",
                    len(plan.invited),
                )
                % {"count": len(plan.invited)},
            )
            return redirect("people:list")
        plan = plan_heads_invitation(schools)
    return render(request, "accounts/people_invite_heads.html", {"form": form, "plan": plan})


@require_POST
@role_required(Role.ACADEMY_ADMIN)
def people_revoke(request, pk):
    academies = list(administered_academies(request.user))
    membership = get_object_or_404(memberships_of_academies(academies).active(), pk=pk)
    revoke(membership, request.user)
    messages.success(request, _("Rôle retiré : %(membership)s.") % {"membership": membership})
    return redirect("people:list")

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from paliers.accounts.access import role_required
from paliers.accounts.models import Role
from paliers.accounts.scoping import administered_academies

from .models import AuditEvent, EventKind


@require_safe
@role_required(Role.ACADEMY_ADMIN)
def journal(request):
    """The security events of the académies the user administers, newest first."""
    events = AuditEvent.objects.filter(academy__in=administered_academies(request.user)).select_related(
        "user"
    )
    kind = request.GET.get("evenement", "")
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/journal.html", {"page": page, "kinds": EventKind.choices, "kind": kind})

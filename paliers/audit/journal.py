"""Writing to the security journal: one function, `record`, called by signal receivers and
by the few views that export or import data about many schools."""

from paliers.accounts.scoping import active_memberships
from paliers.core.client import client_address
from paliers.schools.models import Academy, Department

from .models import AuditEvent


def describe_scope(user):
    """The user's roles and scopes in words, e.g. « DAN — Académie de Créteil »."""
    if user is None or not user.is_authenticated:
        return ""
    if user.is_superuser:
        return "administrateur technique"
    return "; ".join(f"{m.get_role_display()} — {m.scope}" for m in active_memberships(user))[:500]


def academy_of_scope(scope):
    """The académie of an académie, a département, a district or a school."""
    if isinstance(scope, Academy):
        return scope
    if isinstance(scope, Department):
        return scope.academy
    return scope.department.academy  # a district or a school


def academy_of(user):
    """The académie of the user's first role: where their events are read."""
    memberships = active_memberships(user) if user is not None and user.is_authenticated else []
    return academy_of_scope(memberships[0].scope) if memberships else None


FROM_REQUEST = object()


def record(kind, *, request=None, user=FROM_REQUEST, username="", academy=None, detail=""):
    """One event. `user`: who acted (by default the request's user; None: nobody known,
    as for a failed login with an unknown identifier)."""
    user = getattr(request, "user", None) if user is FROM_REQUEST else user
    known = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        kind=kind,
        user=known,
        username=(username or (known.get_username() if known else ""))[:150],
        scope=describe_scope(known),
        academy=academy or academy_of(known),
        detail=detail[:500],
        ip_address=client_address(request),
    )

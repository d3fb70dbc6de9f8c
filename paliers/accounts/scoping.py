"""Who may see and change which schools: the one scoping function of Paliers.

Every view, export and API endpoint that touches schools (or anything belonging to a
school) asks `schools_for(user)` or `schools_for(user, change=True)`; nothing else
decides. Deny by default: no membership, no school.
"""

from django.db.models import Q

from paliers.schools.models import School

from .models import Role

# Roles that may change a school's own data (its positioning, its objectives).
CHANGE_ROLES = (Role.ACADEMY_ADMIN, Role.SCHOOL_HEAD, Role.SCHOOL_REFERENT)


def active_memberships(user):
    """The user's active memberships, read once per request (cached on the user)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_active_memberships"):
        user._active_memberships = list(
            user.memberships.active().select_related("academy", "department", "district", "school")
        )
    return user._active_memberships


def scope_condition(membership):
    """The schools of one membership's scope, as a query condition."""
    if membership.school_id:
        return Q(pk=membership.school_id)
    if membership.district_id:
        return Q(
            pk__in=School.districts.through.objects.filter(district_id=membership.district_id).values(
                "school_id"
            )
        )
    if membership.department_id:
        return Q(department_id=membership.department_id)
    return Q(department__academy_id=membership.academy_id)


def schools_for(user, change=False, roles=None):
    """The schools `user` may see, or with change=True, the schools they may change.

    With `roles`, only the memberships of those roles count: the schools where the user
    acts as, say, an animator (`roles={Role.ANIMATOR}`), whatever else they may see.
    """
    if user.is_authenticated and user.is_superuser:
        return School.objects.all()
    condition = Q(pk__in=[])
    for membership in active_memberships(user):
        if (not change or membership.role in CHANGE_ROLES) and (roles is None or membership.role in roles):
            condition |= scope_condition(membership)
    return School.objects.filter(condition)


def has_role(user, *roles):
    return user.is_authenticated and (
        user.is_superuser or any(m.role in roles for m in active_memberships(user))
    )


def administered_academies(user):
    """The académies whose people and directory `user` manages (académie administrators)."""
    from paliers.schools.models import Academy

    if user.is_authenticated and user.is_superuser:
        return Academy.objects.all()
    ids = [m.academy_id for m in active_memberships(user) if m.role == Role.ACADEMY_ADMIN]
    return Academy.objects.filter(pk__in=ids)

"""Who may read and change a roadmap, on top of the scoping function.

The académie's staff read its roadmap: its administrators (who change it), and the
animators and observers whose scope lies in the académie. Others: 403 (another role) or
404 (another académie).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from paliers.accounts.models import Role
from paliers.accounts.scoping import active_memberships, administered_academies, has_role
from paliers.observatory.selection import READER_ROLES, observatory_schools

from .models import Axis, Indicator, Roadmap


def readable_roadmaps(user):
    if user.is_superuser:
        return Roadmap.objects.all()
    return Roadmap.objects.filter(academy__in=observatory_schools(user).values("department__academy"))


def check_role(user):
    if not has_role(user, *READER_ROLES):
        raise PermissionDenied(
            _("La feuille de route est réservée à l’académie, aux animateurs et aux observateurs.")
        )


def may_change(user, roadmap):
    return administered_academies(user).filter(pk=roadmap.academy_id).exists()


def get_roadmap_for(user, pk, change=False):
    check_role(user)
    roadmap = readable_roadmaps(user).select_related("academy").filter(pk=pk).first()
    if roadmap is None:
        raise Http404(_("Feuille de route introuvable dans votre périmètre."))
    if change and not may_change(user, roadmap):
        raise PermissionDenied(_("Seule la délégation académique au numérique modifie la feuille de route."))
    return roadmap


def get_axis_for(user, pk, change=False):
    axis = Axis.objects.filter(pk=pk).only("roadmap_id").first()
    if axis is None:
        check_role(user)
        raise Http404(_("Axe introuvable."))
    roadmap = get_roadmap_for(user, axis.roadmap_id, change=change)
    axis = Axis.objects.get(pk=pk)
    axis.roadmap = roadmap
    return axis


def get_indicator_for(user, pk, change=False):
    found = Indicator.objects.filter(pk=pk).values_list("axis_id", flat=True).first()
    if found is None:
        check_role(user)
        raise Http404(_("Indicateur introuvable."))
    axis = get_axis_for(user, found, change=change)
    indicator = Indicator.objects.select_related(
        "framework", "criterion", "domain", "department", "district"
    ).get(pk=pk)
    indicator.axis = axis
    return indicator


def may_create(user):
    """Académie administrators write their académie's roadmaps."""
    return user.is_superuser or any(m.role == Role.ACADEMY_ADMIN for m in active_memberships(user))

"""Access helpers for views: one call per view, built on the scoping function.

Outside the user's scope a school does not exist for them (404); inside it but
read-only, a change is forbidden (403).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from paliers.schools.words import school_words

from .scoping import has_role, schools_for


def get_school_for(user, uai, change=False):
    school = schools_for(user).select_related("department__academy").filter(uai=uai.upper()).first()
    if school is None:
        raise Http404(_("École ou établissement introuvable dans votre périmètre."))
    if change and not schools_for(user, change=True).filter(pk=school.pk).exists():
        raise PermissionDenied(
            _("Vous pouvez consulter %(school)s, sans y faire de modification.")
            % {"school": school_words(school).this}
        )
    return school


def role_required(*roles):
    """A view for the given roles only (403 for anyone else signed in)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied(_("Cette page est réservée à d’autres rôles."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

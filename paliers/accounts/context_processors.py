from django.contrib.auth.models import AnonymousUser

from .models import Role
from .scoping import active_memberships, has_role


def navigation(request):
    """What the header offers: the directory to anyone with a scope, people to administrators."""
    # No user yet when a request is refused before the authentication middleware (an
    # unknown Host, an oversized body): the error page still renders.
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "nav_directory": user.is_authenticated and (user.is_superuser or bool(active_memberships(user))),
        "nav_people": has_role(user, Role.ACADEMY_ADMIN),
        # The support requests of a territory: for those who follow several schools.
        "nav_accompaniment": has_role(user, Role.ANIMATOR, Role.OBSERVER, Role.ACADEMY_ADMIN),
        # The observatory and the roadmap: for those who follow a territory.
        "nav_observatory": has_role(user, Role.ANIMATOR, Role.OBSERVER, Role.ACADEMY_ADMIN),
    }

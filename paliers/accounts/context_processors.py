from .models import Role
from .scoping import active_memberships, has_role


def navigation(request):
    """What the header offers: the directory to anyone with a scope, people to administrators."""
    user = request.user
    return {
        "nav_directory": user.is_authenticated and (user.is_superuser or bool(active_memberships(user))),
        "nav_people": has_role(user, Role.ACADEMY_ADMIN),
    }

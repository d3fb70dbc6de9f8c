from django.shortcuts import render
from django.views.decorators.http import require_safe

from .scoping import active_memberships


@require_safe
def my_account(request):
    memberships = active_memberships(request.user)
    return render(request, "accounts/my_account.html", {"memberships": memberships})

"""Project-level pages that gather several apps (the apps themselves never import upward)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from paliers.frameworks.models import Framework


@require_safe
@login_not_required
def home(request):
    return render(request, "core/home.html", {"frameworks": Framework.objects.order_by("title", "version")})

"""The personal API tokens page: list mine, create one (shown once), revoke one."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from paliers.audit.journal import record
from paliers.audit.models import EventKind

from .forms import TokenForm
from .models import ApiToken

# Enough for a few scripts and tools; a forgotten loop does not pile up tokens.
MAX_ACTIVE_TOKENS = 20


@never_cache  # the page may hold a token in clear: no copy in any cache
def token_list(request):
    tokens = ApiToken.objects.active().filter(user=request.user)
    form = TokenForm(request.POST or None)
    created_key = None
    if request.method == "POST" and form.is_valid():
        if tokens.count() >= MAX_ACTIVE_TOKENS:
            form.add_error(
                None,
                gettext("Vous avez déjà %(count)s jetons actifs : révoquez-en un d’abord.")
                % {"count": MAX_ACTIVE_TOKENS},
            )
        else:
            # Rendered in this response rather than after a redirect: the token is never
            # stored anywhere in clear, not even for one request in the session.
            with transaction.atomic():
                token, created_key = ApiToken.issue(request.user, form.cleaned_data["name"])
                record(EventKind.API_TOKEN, request=request, detail=f"jeton créé : {token.name}")
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {"tokens": tokens, "form": form, "created_key": created_key},
        status=200,
    )


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.active(), pk=pk, user=request.user)
    with transaction.atomic():
        token.revoke()
        record(EventKind.API_TOKEN, request=request, detail=f"jeton révoqué : {token.name}")
    messages.success(
        request,
        gettext("Jeton révoqué : %(name)s. Il ne permet plus d’utiliser l’API.") % {"name": token.name},
    )
    return redirect("api_tokens:list")

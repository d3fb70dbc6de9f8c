"""Requests refused before anything reads them, and French bodies for bare refusals.

`RequestGuardMiddleware` comes right after the security headers' middlewares: a NUL
character in the address (400: PostgreSQL refuses it in any text) or a body declared larger
than the largest upload (413) are answered at once, before a session or a view is read — a
body larger than that is never read. The health check answers whatever the Host, so that a
load balancer may probe a process by its address; any other unknown Host is Django's 400.

`FrenchRefusalMiddleware` sits near the views: a 405 that a view decorator left empty gets a
French page, like every other error.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .health import health
from .language import chosen_language


def refusal(request, status, title, message, api_status=None):
    """A refusal that reads nothing of the request but its path: JSON for the API (with
    `api_status` when the API documents another code for bad input, 422)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "errors": []}, status=api_status or status)
    context = {"title": title, "message": message, "status": status}
    return render(request, "core/refused.html", context, status=status)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.health_path = reverse("health")

    def __call__(self, request):
        if request.path == self.health_path and request.method in {"GET", "HEAD"}:
            try:
                request.get_host()
            except DisallowedHost:
                return health(request)  # a load balancer probing a process by its address
        return self.refused(request) or self.get_response(request)

    def refused(self, request):
        answer = self.refusal_of(request)
        if answer is None:
            return None
        # Before LanguageMiddleware: the language of the cookie (no session is read here);
        # the API keeps its French.
        api = request.path.startswith("/api/")
        with translation.override(settings.LANGUAGE_CODE if api else chosen_language(request)):
            return answer()

    def refusal_of(self, request):
        """What answers a request refused (a function, called in the person's language), else None."""
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return lambda: refusal(
                request,
                400,
                _("Requête incorrecte"),
                _("L’adresse contient un caractère nul : elle est refusée."),
                api_status=422,
            )
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit():
            return lambda: refusal(
                request, 400, _("Requête incorrecte"), _("Longueur du corps de la requête illisible.")
            )
        if int(length) > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return lambda: refusal(
                request,
                413,
                _("Envoi trop volumineux"),
                _("Cet envoi dépasse %(limit)s Mo, la taille maximale acceptée : il n’a pas été lu.")
                % {"limit": limit},
            )
        return None


class FrenchRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            page = render(request, "405.html", {"method": request.method}, status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

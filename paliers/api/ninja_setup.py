"""The NinjaAPI of Paliers: JSON errors in French, token authentication, offline docs.

Every answer of the API is JSON, errors included (`{"detail": …, "errors": […]}`): a
script never has to parse an HTML error page, and never follows a redirect to the
login form.
"""

import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.urls import re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger

from paliers.assessments.answering import AnswersInvalid, CampaignClosed, NotEditable

from .auth import TokenAuth

logger = logging.getLogger("paliers.api")

# Pydantic's messages are English: the common ones, in French (the others pass as they are).
VALIDATION_MESSAGES = {
    "missing": "champ obligatoire",
    "extra_forbidden": "champ inconnu",
    "string_type": "texte attendu",
    "string_too_long": "texte trop long",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "list_type": "liste attendue",
    "too_long": "liste trop longue",
    "model_type": "objet JSON attendu",
    "model_attributes_type": "objet JSON attendu",
    "dict_type": "objet JSON attendu",
    "enum": "valeur inconnue",
}


def error(detail, status, errors=(), headers=None):
    response = JsonResponse({"detail": detail, "errors": list(errors)}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class OfflineSwagger(Swagger):
    """Swagger UI from the files django-ninja ships (served as our static files), in a
    page of ours (French title, `lang`); no CDN, and no call to swagger.io's validator."""

    template = "api/swagger.html"

    def __init__(self):
        super().__init__(settings={"validatorUrl": None, "persistAuthorization": False})


def _json_only(view):
    """Ninja answers some requests outside its exception handlers (a method it does not
    route, the API root's 404): make those JSON too, and exempt every API URL from
    LoginRequiredMiddleware, since a token, not a session, says who is calling."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error("Adresse inconnue dans l’API.", 404)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return error(
                f"Méthode {request.method} non permise à cette adresse.",
                405,
                headers={"Allow": response.get("Allow", "")},
            )
        return response

    wrapped.csrf_exempt = True  # no cookie authenticates an API call: nothing to forge
    return login_not_required(wrapped)


@login_not_required
def unknown_address(request, *args, **kwargs):
    return error("Adresse inconnue dans l’API.", 404)


class PaliersAPI(NinjaAPI):
    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback = _json_only(pattern.callback)
        # Last: any other address under the API's prefix is a JSON 404, not the HTML page.
        return [*patterns, re_path(r"^.*$", unknown_address, name="unknown")]


def _unauthenticated(request, exc):
    return error(
        "Authentification requise : envoyez un jeton d’accès valide "
        "dans l’en-tête « Authorization: Bearer <jeton> ».",
        401,
        headers={"WWW-Authenticate": 'Bearer realm="paliers"'},
    )


def _http_error(request, exc):
    if exc.status_code == 400:
        return error("Le corps de la requête n’est pas du JSON valide.", 400)
    return error(str(exc), exc.status_code)


def _not_found(request, exc):
    # get_object_or_404 says « No X matches the given query. », in English.
    message = str(exc)
    if not message or message.endswith("matches the given query."):
        message = "Introuvable dans votre périmètre."
    return error(message, 404)


def _forbidden(request, exc):
    return error(str(exc) or "Votre rôle ne permet pas cette action.", 403)


def _invalid_request(request, exc):
    errors = []
    for item in exc.errors:
        location = [str(part) for part in item.get("loc", ())]
        if location[:2] == ["body", "body"]:
            location = location[1:]  # the body parameter's name says nothing to the caller
        errors.append(
            {
                "field": (".".join(location[1:]) or location[0]) if location else "",
                "error": VALIDATION_MESSAGES.get(item.get("type"), item.get("msg", "")),
            }
        )
    return error("La requête ne respecte pas le format attendu.", 422, errors)


def _answers_invalid(request, exc):
    # replace_answers reports version conflicts like other faults, and only once every
    # other check passed: a list of conflicts only is a conflict (409), not bad input.
    if all(item["error"].startswith("conflit") for item in exc.errors):
        return error(
            "Des réponses ont changé depuis votre lecture : relisez-les, rien n’a été enregistré.",
            409,
            exc.errors,
        )
    return error("Réponses refusées : rien n’a été enregistré.", 422, exc.errors)


class InvalidInput(Exception):
    """Input read fine but refused by the rules: 422 with one item per fault."""

    def __init__(self, detail, errors):
        super().__init__(detail)
        self.detail, self.errors = detail, errors


def _invalid_input(request, exc):
    return error(exc.detail, 422, exc.errors)


def _not_editable(request, exc):
    return error(str(exc), 409)


def _campaign_closed(request, exc):
    return error(str(exc), 423)  # Locked: the campaign's dates, not a conflict with someone


def _suspicious(request, exc):
    # Raised by Django while reading the body (RequestDataTooBig above
    # DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields…): the caller's fault, not the server's.
    if isinstance(exc, RequestDataTooBig):
        limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):.1f}".replace(".", ",")
        return error(f"Corps de la requête trop volumineux : {limit} Mo au plus.", 413)
    return error("Requête refusée : elle n’est pas conforme.", 400)


def _server_error(request, exc):
    if settings.DEBUG:
        raise exc  # Django's debug page
    logger.exception("Erreur dans l’API : %s %s", request.method, request.path)
    return error("Erreur interne du serveur : réessayez plus tard.", 500)


def make_api(**kwargs):
    api = PaliersAPI(auth=TokenAuth(), docs=OfflineSwagger(), **kwargs)
    api.add_exception_handler(Exception, _server_error)
    api.add_exception_handler(SuspiciousOperation, _suspicious)
    api.add_exception_handler(AuthenticationError, _unauthenticated)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(PermissionDenied, _forbidden)
    api.add_exception_handler(ValidationError, _invalid_request)
    api.add_exception_handler(AnswersInvalid, _answers_invalid)
    api.add_exception_handler(NotEditable, _not_editable)
    api.add_exception_handler(CampaignClosed, _campaign_closed)
    api.add_exception_handler(InvalidInput, _invalid_input)
    return api

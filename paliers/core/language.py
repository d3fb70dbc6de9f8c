"""The interface language: French unless the person chose English with the header's
switch. The choice is kept on the account (`User.language`) for a signed-in person, and
in Django's language cookie for everyone, so that it survives signing in and out.

Not Django's LocaleMiddleware: it would follow the browser's Accept-Language, and many
French staff browse with an English browser; a French public service speaks French
unless asked otherwise."""

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils import translation
from django.utils.cache import patch_vary_headers


def supported(code):
    return code if code in dict(settings.LANGUAGES) else None


def chosen_language(request):
    user = getattr(request, "user", None)
    from_account = supported(getattr(user, "language", "") or "") if user and user.is_authenticated else None
    from_cookie = supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""))
    return from_account or from_cookie or settings.LANGUAGE_CODE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


@receiver(request_finished, dispatch_uid="paliers-language-reset")
def back_to_the_default_language(**kwargs):
    """Once a response is sent (a streamed one at its end), the thread forgets the visitor's
    language: what it runs next without a request (a task, a command, another test) speaks
    French unless told otherwise, not the last visitor's language."""
    translation.deactivate()

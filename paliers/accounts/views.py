from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views import i18n
from django.views.decorators.http import require_POST, require_safe

from .scoping import active_memberships
from .signals import password_changed


@require_safe
def my_account(request):
    memberships = active_memberships(request.user)
    return render(request, "accounts/my_account.html", {"memberships": memberships})


@require_POST
@login_not_required
def set_language(request):
    """The header's language switch: Django's view sets the language cookie and returns to
    the page; a signed-in person's choice is kept on the account too."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed.send(__class__, request=self.request, user=form.user, how="depuis « Mon compte »")
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link of a forgotten password, and of an invitation (the first password)."""

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed.send(
            __class__, request=self.request, user=form.user, how="par le lien reçu par courriel"
        )
        return response

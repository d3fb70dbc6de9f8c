from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from . import forms, views

# Django's own views for passwords, with DSFR forms and French templates (two of them tell
# the security journal that a password changed). Signing in and out (passwords and
# identity providers) live in paliers.identities.
urlpatterns = [
    path("mon-compte/", views.my_account, name="my_account"),
    path("langue/", views.set_language, name="set_language"),
    path(
        "mot-de-passe/",
        views.PasswordChangeView.as_view(
            template_name="accounts/form_page.html",
            form_class=forms.DsfrPasswordChangeForm,
            success_url=reverse_lazy("password_change_done"),
            extra_context={"title": _("Changer de mot de passe"), "submit": _("Changer le mot de passe")},
        ),
        name="password_change",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/message_page.html",
            extra_context={
                "title": _("Mot de passe changé"),
                "message": _("Votre mot de passe a été changé."),
            },
        ),
        name="password_change_done",
    ),
    path(
        "mot-de-passe-oublie/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/form_page.html",
            form_class=forms.DsfrPasswordResetForm,
            email_template_name="accounts/emails/password_reset.txt",
            subject_template_name="accounts/emails/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
            extra_context={
                "title": _("Mot de passe oublié"),
                "intro": _(
                    "Indiquez l’adresse électronique de votre compte : vous recevrez un lien "
                    "pour choisir un nouveau mot de passe."
                ),
                "submit": _("Recevoir le lien"),
            },
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message_page.html",
            extra_context={
                "title": _("Lien envoyé"),
                "message": _(
                    "Si un compte correspond à cette adresse, un lien pour choisir un nouveau "
                    "mot de passe vient de lui être envoyé."
                ),
            },
        ),
        name="password_reset_done",
    ),
    path(
        "reinitialisation/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/set_password.html",
            form_class=forms.DsfrSetPasswordForm,
            success_url=reverse_lazy("password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reinitialisation/terminee/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message_page.html",
            extra_context={
                "title": _("Mot de passe enregistré"),
                "message": _("Votre mot de passe est enregistré : vous pouvez vous connecter."),
                "login_link": True,
            },
        ),
        name="password_reset_complete",
    ),
]

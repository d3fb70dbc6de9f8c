from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UsernameField,
)
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from paliers.core import mail


class LoginForm(DsfrBaseForm, AuthenticationForm):
    """Django's login form, rendered with the DSFR's fields and error messages."""

    # max_length here, not only as Django sets it after the field is built: its validator
    # refuses an identifier no account can have before the lock-out records it.
    username = UsernameField(
        label=_("Identifiant"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Les majuscules et les minuscules comptent."
        ),
    }


class DsfrPasswordChangeForm(DsfrBaseForm, PasswordChangeForm):
    pass


class DsfrPasswordResetForm(DsfrBaseForm, PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):  # fmt: skip
        """Django's message (its subject on one line, no HTML part), sent as every e-mail is."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        mail.send(subject, render_to_string(email_template_name, context), [to_email])


class DsfrSetPasswordForm(DsfrBaseForm, SetPasswordForm):
    pass

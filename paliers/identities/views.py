"""Signing in and out (password and providers), and the académie's sign-in settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from paliers.accounts.access import role_required
from paliers.accounts.invitations import memberships_of_academies
from paliers.accounts.models import Role
from paliers.accounts.scoping import administered_academies
from paliers.audit.journal import record
from paliers.audit.models import EventKind

from .cas import cas_logout_url
from .forms import AdmissionRuleForm, PasswordLoginForm, PasswordsForm
from .models import AcademySignIn, AdmissionRule, Identity
from .oidc import end_session_url
from .providers import configuration
from .signing_in import SESSION_KEY


class LoginView(auth_views.LoginView):
    template_name = "identities/login.html"
    form_class = PasswordLoginForm

    def get_context_data(self, **kwargs):
        config = configuration()
        return super().get_context_data(
            **kwargs,
            proconnect=next((p for p in config.oidc if p.is_proconnect), None),
            other_providers=[p for p in config.oidc if not p.is_proconnect],
            cas=config.cas,
            local_passwords=settings.LOCAL_PASSWORDS,
        )

    def form_invalid(self, form):
        if form.has_error("__all__", "passwords_off"):
            record(EventKind.LOGIN_FAILED, request=self.request, user=form.get_user(),
                   detail="mot de passe Paliers désactivé pour ce compte")  # fmt: skip
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Ends the Paliers session, then the provider's: OpenID Connect end-session with
    id_token_hint, or the CAS server's logout.

    The provider is reached from a page, not by redirecting the logout form: the
    Content-Security-Policy's form-action keeps forms (and their redirects) on this site.
    """

    def post(self, request, *args, **kwargs):
        signed_in_with = request.session.get(SESSION_KEY) or {}
        provider = signed_in_with.get("provider")
        config = configuration()
        provider_url = ""
        if provider and config.cas and provider == config.cas.slug:
            provider_url = cas_logout_url(request, request.build_absolute_uri(reverse("signed_out")))
        elif provider:
            provider_url = end_session_url(request, provider, signed_in_with.get("id_token", ""))
        response = super().post(request, *args, **kwargs)
        if not provider_url:
            return response
        context = {"provider_url": provider_url, "label": config.label_of(provider)}
        return render(request, "identities/signing_out.html", context)


@require_safe
@login_not_required
def signed_out(request):
    return render(
        request,
        "accounts/message_page.html",
        {
            "title": _("Déconnexion terminée"),
            "message": _("Vous êtes déconnecté de Paliers et du service d’identité."),
            "login_link": True,
        },
    )


def academy_settings(academy):
    return AcademySignIn.objects.get_or_create(academy=academy)[0]


@role_required(Role.ACADEMY_ADMIN)
def sign_in_settings(request):
    """The académie's page: providers in force, local passwords, admission rules."""
    academies = list(administered_academies(request.user))
    config = configuration()
    rows = []
    for academy in academies:
        current = academy_settings(academy)
        form = PasswordsForm(
            request.POST
            if request.method == "POST" and request.POST.get("academy") == str(academy.pk)
            else None,
            initial={"local_passwords": current.local_passwords},
            prefix=f"a{academy.pk}",
        )
        if form.is_bound and form.is_valid():
            current.local_passwords = form.cleaned_data["local_passwords"]
            current.changed_by = request.user
            with transaction.atomic():
                current.save()
                record(
                    EventKind.SIGN_IN_SETTINGS, request=request, academy=academy,
                    detail="mots de passe Paliers " + ("permis" if current.local_passwords else "désactivés"),
                )  # fmt: skip
            said = (
                _("Mots de passe Paliers permis pour l’%(academy)s.")
                if current.local_passwords
                else _("Mots de passe Paliers désactivés pour l’%(academy)s.")
            )
            messages.success(request, said % {"academy": academy})
            return redirect("sign_in_settings")
        rows.append((academy, form))
    rules = AdmissionRule.objects.filter(academy__in=academies).select_related("academy", "created_by")
    people = memberships_of_academies(academies).active().values("user_id")
    linked = Identity.objects.filter(user_id__in=people).values("user_id").distinct().count()
    return render(
        request,
        "identities/settings.html",
        {
            "config": config,
            "rows": rows,
            "rules": rules,
            "several_academies": len(academies) > 1,
            "global_passwords": settings.LOCAL_PASSWORDS,
            "linked": linked,
        },
    )


def provider_choices():
    config = configuration()
    choices = [(p.slug, p.label) for p in config.oidc]
    if config.cas:
        choices.append((config.cas.slug, config.cas.label))
    return choices


def described(rule):
    """The rule in the journal's words, French whatever the administrator's language."""
    with translation.override("fr"):
        return f"{rule} ({rule.get_scope_display()})"


@role_required(Role.ACADEMY_ADMIN)
def admission_rule_add(request):
    providers = provider_choices()
    if not providers:  # a rule would name no provider: say why rather than refuse a field
        status = 409 if request.method == "POST" else 200
        return render(request, "identities/rule_form.html", {"form": None}, status=status)
    form = AdmissionRuleForm(
        request.POST or None, providers=providers, academies=administered_academies(request.user)
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            rule = form.save(commit=False)
            rule.created_by = request.user
            rule.save()
            record(EventKind.SIGN_IN_SETTINGS, request=request, academy=rule.academy,
                   detail=f"règle d’admission ajoutée : {described(rule)}")  # fmt: skip
        messages.success(request, _("Règle d’admission ajoutée : %(rule)s.") % {"rule": rule})
        return redirect("sign_in_settings")
    return render(request, "identities/rule_form.html", {"form": form})


@require_POST
@role_required(Role.ACADEMY_ADMIN)
def admission_rule_delete(request, pk):
    rule = get_object_or_404(AdmissionRule, pk=pk, academy__in=administered_academies(request.user))
    with transaction.atomic():
        rule.delete()
        record(EventKind.SIGN_IN_SETTINGS, request=request, academy=rule.academy,
               detail=f"règle d’admission supprimée : {described(rule)}")  # fmt: skip
    messages.success(request, _("Règle d’admission supprimée : %(rule)s.") % {"rule": rule})
    return redirect("sign_in_settings")

"""What every provider's sign-in shares: the lock-out, logging in, the journal, failures."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import auth
from django.shortcuts import render
from django.utils.translation import gettext as _

from paliers.audit.journal import record
from paliers.audit.models import EventKind

from .failures import REASONS, SignInFailure, logger
from .providers import configuration

SESSION_KEY = "paliers_sso"  # {"provider", "kind", "id_token"} of the sign-in in force


def log_in(request, admission, *, provider, backend, id_token=""):
    """Log the admitted person in, unless django-axes has locked their account out."""
    user = admission.user
    if not AxesProxyHandler.is_allowed(request, {"username": user.get_username()}):
        raise SignInFailure("locked", f"compte n° {user.pk}", user=user)
    label = configuration().label_of(provider)
    detail = f"{label}, identité {admission.identity.subject}"
    if admission.first_link:
        detail += " ; première connexion : identité liée au compte"
    if admission.granted:
        detail += " ; rôles donnés par une règle d’admission : " + ", ".join(
            f"{m.get_role_display()} — {m.scope}" for m in admission.granted
        )
    user.sign_in_detail = detail  # read by the journal's user_logged_in receiver
    auth.login(request, user, backend=backend)
    request.session[SESSION_KEY] = {"provider": provider, "id_token": id_token}


def failure_page(request, failure, provider):
    """The French page for a failed sign-in; the failure is journaled and logged."""
    status, title, explanation, advice = REASONS[failure.reason]
    label = configuration().label_of(provider) if provider else _("le service d’identité")
    # The provider comes from the address: bounded, so that a crafted one cannot flood the log.
    logger.warning(
        "sign-in through %.40s failed: %s (%.200s)", provider or "?", failure.reason, failure.detail
    )
    kind = EventKind.LOCKED_OUT if failure.reason == "locked" else EventKind.LOGIN_FAILED
    record(
        kind,
        request=request,
        user=failure.user,
        username=failure.email or (failure.user.get_username() if failure.user else ""),
        detail=f"{label} : {title} ({failure.detail})",
    )
    context = {
        "title": title,
        "explanation": str(explanation).format(provider=label, email=failure.email),
        "advice": str(advice).format(provider=label, email=failure.email),
        "reason": failure.reason,
    }
    return render(request, "identities/failure.html", context, status=status)

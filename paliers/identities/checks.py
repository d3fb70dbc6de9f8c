"""Refuse to start with a faulty sign-in configuration: a typo in a provider's variables
must show at deployment, not as failed sign-ins (or 500s) for every user."""

from django.conf import settings
from django.core.checks import Error, register

from .providers import read_configuration


@register()
def sign_in_configuration(app_configs, **kwargs):
    errors = [
        Error(fault, hint="Voyez deploy/paliers.env.example et docs/deployment.md.", id="identities.E001")
        for fault in read_configuration().faults
    ]
    for name in ("OIDC_STATE_SIZE", "OIDC_NONCE_SIZE"):
        if getattr(settings, name, 0) < 32:
            errors.append(Error(f"{name} doit valoir au moins 32 (ProConnect).", id="identities.E002"))
    return errors

"""What an invitation e-mail says about signing in (accounts.invitations asks it through
settings.INVITATION_SIGN_IN: accounts sits below this app and must not import it)."""

from .passwords import local_password_allowed
from .providers import configuration


def sign_in_for(user):
    """{"password": may choose a Paliers password, "providers": the labels of the identity
    services to sign in with} for the invited person, their new role counted."""
    config = configuration()
    labels = [provider.label for provider in config.oidc] + ([config.cas.label] if config.cas else [])
    return {"password": local_password_allowed(user), "providers": labels}

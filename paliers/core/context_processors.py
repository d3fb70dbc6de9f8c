from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from .accessibility import shipped_audit

# The default tagline (settings.SITE_TAGLINE), marked here so that it is translated.
gettext_noop("Paliers de maturité numérique des écoles et des établissements")


def site(request):
    """What django-dsfr's templates read as SITE_CONFIG, from settings rather than
    from its database model: no query on every page, nothing to configure."""
    return {
        "SITE_CONFIG": {
            "site_title": settings.SITE_TITLE,
            "site_tagline": gettext(settings.SITE_TAGLINE),
            "footer_description": "",
        },
        # The footer states the level computed from the audit grid (read once per process).
        "ACCESSIBILITY_STATE": shipped_audit().state_label,
    }

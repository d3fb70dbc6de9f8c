from django.conf import settings

from .accessibility import shipped_audit


def site(request):
    """What django-dsfr's templates read as SITE_CONFIG, from settings rather than
    from its database model: no query on every page, nothing to configure."""
    return {
        "SITE_CONFIG": {
            "site_title": settings.SITE_TITLE,
            "site_tagline": settings.SITE_TAGLINE,
            "footer_description": "",
        },
        # The footer states the level computed from the audit grid (read once per process).
        "ACCESSIBILITY_STATE": shipped_audit().state_label,
    }

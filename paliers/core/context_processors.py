from django.conf import settings


def site(request):
    """What django-dsfr's templates read as SITE_CONFIG, from settings rather than
    from its database model: no query on every page, nothing to configure."""
    return {
        "SITE_CONFIG": {
            "site_title": settings.SITE_TITLE,
            "site_tagline": settings.SITE_TAGLINE,
            "footer_description": "",
        }
    }

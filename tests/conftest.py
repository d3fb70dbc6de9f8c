import tempfile
from pathlib import Path

import pytest

from paliers.frameworks.loading import load_paths
from paliers.frameworks.models import Component, Criterion, Domain, Framework, Level, Part


def pytest_configure(config):
    from django.conf import settings

    # The manifest storage needs `collectstatic`; tests serve static files from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Not WHITENOISE_USE_FINDERS: each test client would index the DSFR's 5,000 files
    # (0.3 s a client). The live server of the browser tests serves static files itself.
    # Argon2 is deliberately slow; tests create many users (test_accounts checks the real list).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATIC_ROOT = Path(tempfile.mkdtemp(prefix="paliers-static-"))


@pytest.fixture
def shipped_frameworks(db):
    return {result.spec.slug: result.framework for result in load_paths()}


def framework_tables_state():
    """Every row of the framework tables, to show that a refused load changed nothing."""
    return {
        model.__name__: sorted(model.objects.values_list(flat=False))
        for model in (Framework, Level, Part, Domain, Component, Criterion)
    }


def pytest_report_header(config):
    import os

    url = os.environ.get("DATABASE_URL", "")
    return f"base de données : {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}"


# A day when the test worlds' 2025-2026 campaigns (15 or 1 September → 30 June) are open:
# after its closing date a campaign is read-only (the campaign life cycle), so the modules
# that answer those campaigns run on that day (`pytestmark = pytest.mark.usefixtures(…)`).
DURING_CAMPAIGN = "2026-03-16 10:00 +01:00"


@pytest.fixture
def during_campaign():
    import time_machine

    with time_machine.travel(DURING_CAMPAIGN, tick=True):
        yield

import base64
import hashlib
import re

from django.core.management import call_command
from django.test import override_settings


def test_collected_static_files_match_their_integrity_hashes(client, db, tmp_path, settings):
    """With the production storage, every file linked with an integrity hash is served
    byte for byte: otherwise the browser refuses the design system's CSS and JS."""
    production_storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "paliers.core.storage.StaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=production_storages, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", "--no-input", verbosity=0)
        html = client.get("/").content.decode()
    linked = re.findall(r'(?:href|src)="/static/([^"]+)"\s+integrity="sha384-([^"]+)"', html)
    assert len(linked) >= 3  # the DSFR's CSS, utilities and JavaScript
    for path, expected in linked:
        digest = base64.b64encode(hashlib.sha384((tmp_path / path).read_bytes()).digest()).decode()
        assert digest == expected, path

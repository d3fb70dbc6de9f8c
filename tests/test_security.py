"""Secure defaults: production settings pass `check --deploy`, refuse a weak configuration,
and every kind of response carries the security headers."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from paliers.api.models import ApiToken

from .factories import make_world

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_SETTINGS = (
    "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "ALLOWED_HOSTS", "DEBUG",
)  # fmt: skip


def production_env(tmp_path, **changes):
    env = {
        **os.environ,
        "PALIERS_PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "paliers.ac-exemple.fr",
        "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
        "PALIERS_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "paliers.settings",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest, never in production
    env.update(changes)
    return {key: value for key, value in env.items() if value is not None}


def run(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "paliers.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warning(tmp_path):
    result = run(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY manquante ou trop faible"),
        ({"SECRET_KEY": "court"}, "SECRET_KEY manquante ou trop faible"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY manquante ou trop faible"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS manquant"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS manquant"),
        ({"DEBUG": "1"}, "DEBUG=1"),
    ],
)
def test_production_refuses_to_start_with_a_weak_configuration(tmp_path, changes, message):
    result = run(production_env(tmp_path, **changes), "check")
    assert result.returncode != 0 and message in result.stderr


@pytest.fixture
def production(tmp_path):
    """The production module's own values (read in a subprocess), applied to this process."""
    code = (
        "from django.conf import settings; import json; "
        "print(json.dumps({n: getattr(settings, n) for n in %r}))"
    )
    env = production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code % (PRODUCTION_SETTINGS,)],
        env=env, capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    values = json.loads(result.stdout)
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SESSION_COOKIE_SECURE"]
    with override_settings(**values):
        yield values


def headers_ok(response):
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_every_kind_of_response_carries_the_security_headers(client, db, production):
    world = make_world()
    host = {"HTTP_HOST": "paliers.ac-exemple.fr", "secure": True}
    # Plain HTTP is sent to HTTPS first.
    assert client.get("/", HTTP_HOST="paliers.ac-exemple.fr").status_code == 301
    kinds = {
        "public page": ("get", reverse("home"), 200),
        "login form": ("get", reverse("login"), 200),
        "redirect to login": ("get", reverse("directory:list"), 302),
        "not found": ("get", "/pas-de-page-ici/", 404),
        "health (JSON)": ("get", reverse("health"), 200),
        "file download": ("get", reverse("frameworks:yaml", args=["inconnu", "1"]), 404),
        "API without token (JSON)": ("get", "/api/v1/campaigns", 401),
        "API docs": ("get", "/api/v1/docs", 200),
    }
    for name, (method, url, status) in kinds.items():
        response = getattr(client, method)(url, **host)
        assert response.status_code == status, name
        headers_ok(response)
    key = ApiToken.issue(world.head, "tests")[1]
    api = client.get("/api/v1/campaigns", HTTP_AUTHORIZATION=f"Bearer {key}", **host)
    assert api.status_code == 200
    headers_ok(api)
    # Signing in: session and CSRF cookies are Secure and HttpOnly.
    form = client.get(reverse("login"), **host)
    assert form.cookies["csrftoken"]["secure"] and form.cookies["csrftoken"]["httponly"]
    signed_in = client.post(
        reverse("login"), {"username": "directeur", "password": "mot de passe de test"},
        HTTP_REFERER="https://paliers.ac-exemple.fr/comptes/connexion/", **host,
    )  # fmt: skip
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    page = client.get(reverse("directory:detail", args=[world.ecole.uai]), **host)
    assert page.status_code == 200
    headers_ok(page)

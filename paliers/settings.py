"""Paliers settings: one module, read from the environment.

Working defaults for local use (an embedded SQLite database under ``var/``);
production sets ``DATABASE_URL``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DEBUG=0``.
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PALIERS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def local_secret_key():
    """A random key kept under var/, so that local sessions survive a restart
    without anyone committing or sharing a key."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", default=False)
# PALIERS_PRODUCTION=1: served to real users, over HTTPS. The app then refuses to start
# without a real secret key and host names, and turns on every HTTPS protection.
PRODUCTION = env_bool("PALIERS_PRODUCTION", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY") or ("" if PRODUCTION else local_secret_key())
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("PALIERS_PRODUCTION=1 avec DEBUG=1 : le mode débogage expose le code.")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY manquante ou trop faible : au moins 50 caractères aléatoires, par exemple "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS manquant : donnez le ou les noms du site, séparés par des virgules."
        )


def trusted_proxies(value):
    """PALIERS_TRUSTED_PROXIES: how many proxies stand in front (« 1 »), or their addresses
    and networks (« 10.0.0.0/8, 192.0.2.7 »); empty: none (core/client.py)."""
    value = value.strip()
    if not value or value.isdigit():
        return int(value or 0), ()
    try:
        return 0, tuple(str(ipaddress.ip_network(item.strip(), strict=False)) for item in value.split(","))
    except ValueError as error:
        raise ImproperlyConfigured(
            f"PALIERS_TRUSTED_PROXIES : « {value} » n’est ni un nombre de mandataires ni une liste "
            f"d’adresses ou de réseaux séparés par des virgules ({error})."
        ) from None


TRUSTED_PROXY_COUNT, TRUSTED_PROXY_NETWORKS = trusted_proxies(os.environ.get("PALIERS_TRUSTED_PROXIES", ""))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "widget_tweaks",
    # Before django.forms: the DSFR's own templates of radio and checkbox options
    # (django/forms/widgets/*_option.html) must win over Django's, or they render bare.
    "dsfr",
    "django.forms",
    "django_htmx",
    "axes",
    "paliers.core",
    "paliers.workers",
    "paliers.frameworks",
    "paliers.schools",
    "paliers.accounts",
    "paliers.authoring",
    "paliers.audit",
    "paliers.identities",
    "django_cas_ng",
    "paliers.objectives",
    "paliers.directory",
    "paliers.assessments",
    "paliers.surveys",
    "paliers.accompaniment",
    "paliers.reports",
    "paliers.observatory",
    "paliers.roadmap",
    "paliers.caseload",
    "ninja",  # for its bundled Swagger UI files: the API docs load nothing from a CDN
    "paliers.api",
    # Django's Tasks API (built into Django 6) and its database backend: after paliers.workers,
    # whose `db_worker` command is the backend's own plus the rescue of dead workers' tasks.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Oversized bodies and NUL characters refused before anything reads them; the health
    # check for any Host (core/middleware.py).
    "paliers.core.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # French typography of every HTML page: no line break before « : ; ! ? » (core/typography.py).
    "paliers.core.typography.TypographyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After authentication: the signed-in person's language, else the language cookie.
    "paliers.core.language.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "paliers.core.middleware.FrenchRefusalMiddleware",
    # Last, as django-axes asks: it locks out after repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "paliers.urls"
WSGI_APPLICATION = "paliers.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "paliers.core.context_processors.site",
                "paliers.accounts.context_processors.navigation",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'paliers.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock
    # at the start of a transaction, so concurrent writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Sign-in through ProConnect / an académie's OpenID Connect provider, or an ENT's CAS.
    "paliers.identities.oidc.OidcBackend",
    "paliers.identities.cas.CasBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Login throttling: 5 failures for one login from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The client's address behind the proxies named by PALIERS_TRUSTED_PROXIES (core/client.py).
AXES_CLIENT_IP_CALLABLE = "paliers.core.client.client_address"
# Sessions end after a working day, and when the browser closes.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Invitation and password-reset links stay valid for 7 days.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 60 * 60
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Single sign-on (paliers.identities) --------------------------------------------
# Providers come from PALIERS_OIDC_* and PALIERS_CAS_* (see deploy/paliers.env.example);
# a fault in them stops the start (system check identities.E001).
SIGN_IN_ENVIRONMENT = {k: v for k, v in os.environ.items() if k.startswith(("PALIERS_OIDC_", "PALIERS_CAS_"))}
# 0: nobody signs in with a Paliers password (an académie can also turn them off for its people).
LOCAL_PASSWORDS = env_bool("PALIERS_LOCAL_PASSWORDS", default=True)
# How an invitation says to sign in (identities, above accounts, answers for it).
INVITATION_SIGN_IN = "paliers.identities.invitations.sign_in_for"
# mozilla-django-oidc: ProConnect wants state and nonce of 32 characters at least.
OIDC_STATE_SIZE = OIDC_NONCE_SIZE = 43
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
OIDC_TIMEOUT = 10
OIDC_REDIRECT_REQUIRE_HTTPS = PRODUCTION
# django-cas-ng: one CAS server (an ENT); never creates an account, never messages.
CAS_SERVER_URL = os.environ.get("PALIERS_CAS_SERVER_URL", "")
CAS_VERSION = os.environ.get("PALIERS_CAS_VERSION", "3")
CAS_CREATE_USER = False
CAS_IGNORE_REFERER = True
CAS_REDIRECT_URL = "/"
CAS_LOGIN_MSG = CAS_LOGGED_MSG = None
CAS_LOGOUT_COMPLETELY = True


def CAS_SESSION_FACTORY():
    """python-cas's HTTP calls to the CAS server, with a time limit (a setting: a callable)."""
    from paliers.identities.cas import SessionWithTimeout

    return SessionWithTimeout()


LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "fr"
# French is the source language; English is a full translation (paliers/locale/en). The
# language is the person's choice (header), never the browser's: core/language.py.
LANGUAGES = [("fr", "Français"), ("en", "English")]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # remembered a year, also for anonymous visitors
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "paliers" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "paliers.core.storage.StaticFilesStorage"},
}

SITE_TITLE = "Paliers"
# Where links in e-mails point (invitations, password resets sent by commands).
SITE_DOMAIN = os.environ.get("SITE_DOMAIN", "127.0.0.1:8000")
SITE_PROTOCOL = os.environ.get(
    "SITE_PROTOCOL", "https" if not DEBUG and "SITE_DOMAIN" in os.environ else "http"
)
SITE_TAGLINE = "Paliers de maturité numérique des écoles et des établissements"

# Background work (PDF reports, directory imports, reminders, aggregates): queued in the
# database, run by `paliers db_worker` processes (docs/deployment.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "paliers@localhost")

# The largest request body accepted: the largest upload (the directory's annuaire, 60 MB)
# and room for the form around it. Larger ones are refused (413) before being read; the
# reverse proxy's client_max_body_size says the same (docs/deployment.md).
MAX_UPLOAD_BYTES = 60 * 1024 * 1024
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024
# The accessibility statement (/accessibilite/): the entity that publishes it, where to
# report a problem (an address, and a form if the académie has one), and the académie's
# multi-year plan and yearly action plan, linked only when given.
ACCESSIBILITY_ENTITY = os.environ.get("PALIERS_ACCESSIBILITY_ENTITY", "")
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("PALIERS_ACCESSIBILITY_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)
ACCESSIBILITY_CONTACT_URL = os.environ.get("PALIERS_ACCESSIBILITY_CONTACT_URL", "")
ACCESSIBILITY_MULTIYEAR_PLAN_URL = os.environ.get("PALIERS_ACCESSIBILITY_MULTIYEAR_PLAN_URL", "")
ACCESSIBILITY_ACTION_PLAN_URL = os.environ.get("PALIERS_ACCESSIBILITY_ACTION_PLAN_URL", "")

# --- Security headers and cookies ------------------------------------------------------
# Content-Security-Policy: everything from this site, no inline script or style, no eval;
# a nonce for the rare script that must be inline. The DSFR's CSS embeds small SVG icons
# as data: URLs, hence data: for images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script needs to read the cookie
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer checks the health of each process over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
    # Behind a load balancer that ends TLS: it must set X-Forwarded-Proto (and strip it
    # from clients), or Django cannot tell HTTPS requests from plain ones.
    if env_bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# Logs go to the standard error, where systemd's journal or the platform collects them:
# JSON lines in production (PALIERS_LOG_FORMAT=json), plain text otherwise.
LOG_FORMAT = os.environ.get("PALIERS_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "paliers.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"refusals": {"()": "paliers.core.logs.RefusalsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # 403 and 404: one line with the reason, no traceback (core/logs.py).
    "loggers": {"django.request": {"filters": ["refusals"]}, "django.security": {"filters": ["refusals"]}},
}

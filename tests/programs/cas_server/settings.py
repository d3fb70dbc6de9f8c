"""Settings of the CAS server the test suite runs on 127.0.0.1: django-cas-server (a CAS
1/2/3 server from PyPI) in a process of its own, with its own SQLite database.

Environment: CAS_DB (database file), USERS_FILE (JSON {login: {"password", "attributes"}}).
"""

import os

SECRET_KEY = "serveur-cas-de-test-sur-127.0.0.1-seulement"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "cas_server",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "cas_server_urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(os.path.dirname(__file__), "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["CAS_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LANGUAGE_CODE = "fr"
USE_TZ = True
STATIC_URL = "/static/"
CAS_AUTH_CLASS = "cas_server_users.JsonFileUser"
CAS_LOGIN_TEMPLATE = "login.html"
CAS_WARN_TEMPLATE = "login.html"
CAS_LOGGED_TEMPLATE = "message.html"
CAS_LOGOUT_TEMPLATE = "message.html"
CAS_SHOW_POWERED = False
CAS_COMPONENT_URLS = {}
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False

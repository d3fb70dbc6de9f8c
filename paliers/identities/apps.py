from django.apps import AppConfig


class IdentitiesConfig(AppConfig):
    name = "paliers.identities"
    verbose_name = "connexion par fédération d’identité"

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)

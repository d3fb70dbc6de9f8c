from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentitiesConfig(AppConfig):
    name = "paliers.identities"
    verbose_name = _("connexion par fédération d’identité")

    def ready(self):
        from . import checks  # noqa: F401 (registers the system checks)

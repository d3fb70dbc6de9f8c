from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "paliers.audit"
    verbose_name = _("journal de sécurité")

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)

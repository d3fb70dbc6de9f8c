from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "paliers.audit"
    verbose_name = "journal de sécurité"

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)

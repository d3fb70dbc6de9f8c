from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "paliers.core"
    label = "core"
    verbose_name = "socle commun"

    def ready(self):
        from . import plurals

        plurals.install()

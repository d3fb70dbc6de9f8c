from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "paliers.observatory"
    verbose_name = "observatoire"

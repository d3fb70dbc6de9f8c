from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "paliers.frameworks"
    label = "frameworks"
    verbose_name = "référentiels"

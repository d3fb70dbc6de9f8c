from django.apps import AppConfig


class ObjectivesConfig(AppConfig):
    name = "paliers.objectives"
    verbose_name = "objectifs SMART"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "paliers.api"
    label = "api"
    verbose_name = "API"

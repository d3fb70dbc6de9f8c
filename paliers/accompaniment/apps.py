from django.apps import AppConfig


class AccompanimentConfig(AppConfig):
    name = "paliers.accompaniment"
    label = "accompaniment"
    verbose_name = "accompagnement"

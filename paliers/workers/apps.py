from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "paliers.workers"
    label = "workers"
    verbose_name = "travaux de fond"

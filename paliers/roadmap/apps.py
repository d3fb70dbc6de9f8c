from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "paliers.roadmap"
    verbose_name = "feuille de route"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "paliers.roadmap"
    verbose_name = _("feuille de route")

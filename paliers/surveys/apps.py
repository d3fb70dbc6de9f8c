from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "paliers.surveys"
    verbose_name = _("questionnaires d’équipe")

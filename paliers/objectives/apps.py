from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectivesConfig(AppConfig):
    name = "paliers.objectives"
    verbose_name = _("objectifs SMART")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccompanimentConfig(AppConfig):
    name = "paliers.accompaniment"
    label = "accompaniment"
    verbose_name = _("accompagnement")

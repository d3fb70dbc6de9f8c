from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseloadConfig(AppConfig):
    name = "paliers.caseload"
    verbose_name = _("suivi des écoles")

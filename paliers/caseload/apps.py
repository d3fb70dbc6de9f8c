from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "paliers.caseload"
    verbose_name = "suivi des écoles"

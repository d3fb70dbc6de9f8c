from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "paliers.reports"
    verbose_name = "rapports et échanges"

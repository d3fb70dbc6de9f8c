from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "paliers.schools"
    label = "schools"
    verbose_name = "annuaire des écoles et établissements"

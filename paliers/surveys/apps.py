from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "paliers.surveys"
    verbose_name = "questionnaires d’équipe"

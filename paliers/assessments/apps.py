from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "paliers.assessments"
    label = "assessments"
    verbose_name = "positionnements"

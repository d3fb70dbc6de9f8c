from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "paliers.assessments"
    label = "assessments"
    verbose_name = "positionnements"

    def ready(self):
        from paliers.schools.signals import directory_imported

        from . import aggregates

        directory_imported.connect(aggregates.follow_directory, dispatch_uid="aggregates.follow_directory")

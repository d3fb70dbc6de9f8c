from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "paliers.directory"
    label = "directory"
    verbose_name = "pages de l’annuaire"

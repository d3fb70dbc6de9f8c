from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    name = "paliers.authoring"
    label = "authoring"
    verbose_name = "écriture des référentiels"

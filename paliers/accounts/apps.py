from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "paliers.accounts"
    label = "accounts"
    verbose_name = "comptes"

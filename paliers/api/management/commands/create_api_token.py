from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from paliers.api.models import ApiToken


class Command(BaseCommand):
    help = "Crée un jeton d’accès à l’API pour un utilisateur et l’affiche (une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="identifiant de l’utilisateur")
        parser.add_argument("--name", default="ligne de commande", help="nom du jeton")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Utilisateur inconnu : {username}")
        if not user.is_active:
            raise CommandError(f"Le compte {username} est désactivé.")
        _, key = ApiToken.issue(user, name[:100])
        # Only the token on stdout, so that a script can capture it.
        self.stdout.write(key)

from django.core.management.base import BaseCommand, CommandError

from paliers.core.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Remplace le contenu de la base de données par celui d’une sauvegarde de « paliers backup ». "
        "Arrêtez l’application avant."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="fichier écrit par « paliers backup »")
        parser.add_argument("--no-input", action="store_true", help="ne pas demander de confirmation")

    def handle(self, *args, source, no_input, **options):
        if not no_input and input("Remplacer tout le contenu de la base ? Tapez « oui » : ").strip() != "oui":
            raise CommandError("Restauration annulée.")
        try:
            restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Base restaurée depuis {source}.")

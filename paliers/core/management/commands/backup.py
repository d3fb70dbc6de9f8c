from django.core.management.base import BaseCommand, CommandError

from paliers.core.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Copie cohérente de la base de données dans DEST, pendant que l’application tourne "
        "(SQLite : sauvegarde en ligne ; PostgreSQL : pg_dump au format custom)."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="fichier à créer (il ne doit pas exister)")

    def handle(self, *args, destination, **options):
        try:
            written = backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Sauvegarde écrite : {written} ({written.stat().st_size} octets).")

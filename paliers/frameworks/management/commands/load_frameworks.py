from django.core.management.base import BaseCommand, CommandError

from paliers.frameworks.loading import CREATED, framework_files, load_specs, parse_files
from paliers.frameworks.validation import FrameworkInvalid


class Command(BaseCommand):
    help = (
        "Charge des référentiels (fichiers YAML ou dossiers) ; sans chemin, les référentiels "
        "livrés avec Paliers. Tout ou rien : au moindre défaut, rien n’est chargé."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="fichiers .yaml ou dossiers")

    def handle(self, *args, paths, **options):
        try:
            results = load_specs(parse_files(framework_files(paths)))
        except FrameworkInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{len(invalid.errors)} défaut(s) : aucun référentiel n’a été chargé."
            ) from None
        for result in results:
            if result.status == CREATED:
                self.stdout.write(f"chargé : {result.spec.key} — {result.spec.title}")
            else:
                self.stdout.write(f"inchangé (déjà chargé à l’identique) : {result.spec.key}")

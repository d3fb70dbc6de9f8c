from django.core.management.base import BaseCommand, CommandError

from paliers.frameworks.crosswalk_loading import STATUS_LABELS, load_crosswalk_paths
from paliers.frameworks.validation import FrameworkInvalid


class Command(BaseCommand):
    help = (
        "Charge des tables de correspondance entre référentiels (fichiers YAML ou dossiers) ; "
        "sans chemin, celles livrées avec Paliers. Tout ou rien : au moindre défaut, rien n’est chargé."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="fichiers .yaml ou dossiers")

    def handle(self, *args, paths, **options):
        try:
            results = load_crosswalk_paths(paths)
        except FrameworkInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{len(invalid.errors)} défaut(s) : aucune table de correspondance n’a été chargée."
            ) from None
        for result in results:
            self.stdout.write(f"{STATUS_LABELS[result.status]} : {result.spec.key}")

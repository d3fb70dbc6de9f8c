from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from paliers.frameworks.crosswalk_loading import STATUS_LABELS, load_crosswalk_paths
from paliers.frameworks.loading import CREATED, TRANSLATED, framework_files, load_specs, parse_files
from paliers.frameworks.validation import FrameworkInvalid


class Command(BaseCommand):
    help = (
        "Charge des référentiels (fichiers YAML ou dossiers) ; sans chemin, les référentiels "
        "livrés avec Paliers et leurs tables de correspondance. Tout ou rien : au moindre "
        "défaut, rien n’est chargé."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="fichiers .yaml ou dossiers")

    def handle(self, *args, paths, **options):
        crosswalks = []
        try:
            with transaction.atomic():
                results = load_specs(parse_files(framework_files(paths)))
                if not paths:  # the shipped frameworks come with the crosswalks between them
                    crosswalks = load_crosswalk_paths()
        except FrameworkInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{len(invalid.errors)} défaut(s) : aucun référentiel n’a été chargé."
            ) from None
        for result in results:
            if result.status == CREATED:
                self.stdout.write(f"chargé : {result.spec.key} — {result.spec.title}")
            elif result.status == TRANSLATED:
                languages = ", ".join(result.spec.languages()) or "aucune"
                self.stdout.write(
                    f"traductions mises à jour (langues : {languages}), textes français inchangés : "
                    f"{result.spec.key}"
                )
            else:
                self.stdout.write(f"inchangé (déjà chargé à l’identique) : {result.spec.key}")
        for result in crosswalks:
            self.stdout.write(f"{STATUS_LABELS[result.status]} : {result.spec.key}")

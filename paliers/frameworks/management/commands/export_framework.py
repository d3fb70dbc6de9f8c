from django.core.management.base import BaseCommand, CommandError

from paliers.frameworks.loading import export_yaml
from paliers.frameworks.models import Framework


class Command(BaseCommand):
    help = "Écrit un référentiel chargé en YAML (rechargeable tel quel)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("version")
        parser.add_argument("--output", "-o", help="fichier de sortie (par défaut : la sortie standard)")

    def handle(self, *args, slug, version, output, **options):
        framework = Framework.objects.filter(slug=slug, version=version).first()
        if framework is None:
            raise CommandError(f"Aucun référentiel « {slug} » en version « {version} ».")
        document = export_yaml(framework)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(document)
        else:
            self.stdout.write(document, ending="")

from django.core.management.base import BaseCommand, CommandError

from paliers.frameworks.crosswalk_loading import crosswalk_spec_from_db
from paliers.frameworks.loading import export_yaml, spec_from_db
from paliers.frameworks.models import Framework
from paliers.frameworks.workbook import framework_workbook


class Command(BaseCommand):
    help = (
        "Écrit un référentiel chargé en YAML, ou en tableur avec --xlsx (avec sa dernière table "
        "de correspondance) ; rechargeable tel quel."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("version")
        parser.add_argument("--output", "-o", help="fichier de sortie (par défaut : la sortie standard)")
        parser.add_argument("--xlsx", action="store_true", help="un classeur XLSX (demande --output)")

    def handle(self, *args, slug, version, output, xlsx, **options):
        framework = Framework.objects.filter(slug=slug, version=version).first()
        if framework is None:
            raise CommandError(f"Aucun référentiel « {slug} » en version « {version} ».")
        if xlsx:
            if not output:
                raise CommandError("--xlsx écrit un fichier : indiquez-le avec --output.")
            incoming = framework.crosswalks_in.order_by("-loaded_at").first()
            content = framework_workbook(
                spec_from_db(framework), incoming and crosswalk_spec_from_db(incoming)
            )
            with open(output, "wb") as file:
                file.write(content)
            return
        document = export_yaml(framework)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(document)
        else:
            self.stdout.write(document, ending="")

import json

from django.core.management.base import BaseCommand

from paliers.frameworks.loading import spec_from_db
from paliers.frameworks.models import Framework


class Command(BaseCommand):
    help = (
        "Liste les référentiels chargés, avec le nombre de domaines, de composantes "
        "et de critères par niveau."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args, **options):
        summaries = [spec_from_db(f).summary() for f in Framework.objects.order_by("slug", "version")]
        if options["json"]:
            self.stdout.write(json.dumps(summaries, ensure_ascii=False, indent=2))
            return
        if not summaries:
            self.stdout.write("Aucun référentiel chargé.")
        for s in summaries:
            per_level = ", ".join(f"niveau {n} : {count}" for n, count in s["criteria_per_level"].items())
            self.stdout.write(
                f"{s['slug']} {s['version']} — {s['title']} [{s['audience']}] : "
                f"{s['domains']} domaines, {s['components']} composantes, critères ({per_level})"
            )

from django.core.management.base import BaseCommand, CommandError

from paliers.roadmap.loading import LIMOGES, RoadmapInvalid, load_roadmap
from paliers.schools.models import Academy


class Command(BaseCommand):
    help = (
        "Charge une feuille de route académique écrite en YAML (par défaut l’exemple de Limoges "
        "2016-2017) dans une académie. Tout ou rien : au moindre défaut, affiche chaque défaut (fichier, "
        "endroit, ligne) et ne charge rien. Une feuille de route de même titre et période déjà chargée "
        "dans l’académie reste telle quelle."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(LIMOGES), help="fichier YAML")
        parser.add_argument("--academie", required=True, help="code de l’académie (par exemple 22)")

    def handle(self, *args, path, academie, **options):
        academy = Academy.objects.filter(code=academie).first()
        if academy is None:
            raise CommandError(f"Académie de code « {academie} » inconnue.")
        try:
            roadmap, created = load_roadmap(path, academy)
        except RoadmapInvalid as invalid:
            raise CommandError(
                "Feuille de route refusée, rien n’a été chargé :\n" + "\n".join(invalid.errors)
            ) from None
        state = "chargée" if created else "déjà chargée, rien n’a été modifié"
        count = sum(axis.indicators.count() for axis in roadmap.axes.all())
        self.stdout.write(f"{roadmap} : {state} ({roadmap.axes.count()} axes, {count} indicateurs).")

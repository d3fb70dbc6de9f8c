from django.core.management.base import BaseCommand, CommandError

from paliers.observatory.national import NotEmpty, generate_national


class Command(BaseCommand):
    help = (
        "Remplit une base VIDE d’un jeu de données national fictif, toujours le même : 66 000 écoles et "
        "établissements (annuaire synthétique), deux campagnes (2024-2025 et 2025-2026) dans chaque académie "
        "sur les référentiels écoles et établissements de Créteil, chaque critère renseigné (environ huit "
        "millions de réponses), et les agrégats de l’observatoire. Pour mesurer l’observatoire à l’échelle "
        "nationale (bench/observatory.py) ; jamais sur une instance réelle. Quelques minutes."
    )

    def handle(self, *args, **options):
        try:
            result = generate_national(progress=self.stdout.write)
        except NotEmpty as error:
            raise CommandError(str(error)) from None
        total = f"{sum(result.seconds.values()):.0f}"
        self.stdout.write(
            f"Jeu national créé en {total} s : {result.schools} écoles et établissements, {result.campaigns} "
            f"campagnes, {result.assessments} positionnements, {result.answers} réponses."
        )

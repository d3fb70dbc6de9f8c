from django.core.management.base import BaseCommand

from paliers.observatory.demo import place_demo_schools


class Command(BaseCommand):
    help = (
        "Place les écoles de l’académie de démonstration sur ses cartes (coordonnées fictives, "
        "toujours les mêmes) ; celles qui ont déjà des coordonnées ne changent pas."
    )

    def handle(self, *args, **options):
        placed = place_demo_schools()
        self.stdout.write(f"{placed} écoles et établissements placés sur la carte.")

from django.core.management.base import BaseCommand

from paliers.schools.demo import create_demo_directory
from paliers.schools.models import SchoolKind


class Command(BaseCommand):
    help = (
        "Crée l’académie de démonstration (fictive : départements 097 à 099, environ 1 200 écoles et "
        "établissements), toujours la même ; si elle existe déjà, ne change rien."
    )

    def handle(self, *args, **options):
        directory = create_demo_directory()
        academy = directory.academy
        status = "créée" if directory.created else "déjà présente, rien n’a été modifié"
        self.stdout.write(f"{academy} (code {academy.code}) : {status}.")
        for item in directory.departments:
            self.stdout.write(
                f"  {item.department} : {item.circonscriptions} circonscriptions, {item.bassins} bassins de "
                f"formation, {item.schools} écoles et établissements"
            )
        self.stdout.write(f"{directory.schools} écoles et établissements, dont :")
        for kind, count in directory.schools_by_kind.items():
            self.stdout.write(f"  {SchoolKind(kind).label} : {count}")

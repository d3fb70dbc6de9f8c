from django.core.management.base import BaseCommand

from paliers.objectives.demo import create_demo_objectives


class Command(BaseCommand):
    help = (
        "Crée les objectifs SMART de démonstration (tous les états : brouillon, non engagé, en cours, "
        "en retard, achevé, atteint, non atteint) ; s’ils existent déjà, ne change rien. "
        "Lancez demo_accounts avant, pour les pilotes."
    )

    def handle(self, *args, **options):
        count, created = create_demo_objectives()
        if created:
            self.stdout.write(f"{count} objectifs SMART de démonstration créés.")
        else:
            self.stdout.write(
                f"Objectifs SMART de démonstration déjà présents ({count}), rien n’a été modifié."
            )

import time

from django.core.management.base import BaseCommand

from paliers.assessments.demo import CONTRIBUTION_PLAN, create_demo_campaigns, plans
from paliers.schools.demo import demo_school
from paliers.schools.models import SchoolKind


class Command(BaseCommand):
    help = (
        "Crée les campagnes de démonstration de l’académie de démonstration (établissements de l’année "
        "scolaire précédente et de l’année en cours, écoles de l’année en cours, l’année scolaire allant "
        "du 1er septembre au 31 août) avec des réponses plausibles, toujours les mêmes ; si elles "
        "existent déjà, ne change rien. Lancez demo_accounts avant, pour les contributions individuelles."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = create_demo_campaigns()
        if result.created:
            seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
            self.stdout.write(f"Campagnes de démonstration créées en {seconds} s :")
        else:
            self.stdout.write("Campagnes de démonstration déjà présentes, rien n’a été modifié :")
        for campaign, counts in result.campaigns:
            self.stdout.write(
                f"  {campaign} ({campaign.get_school_group_display()}), du {campaign.opens_on:%d/%m/%Y} "
                f"au {campaign.closes_on:%d/%m/%Y} : {counts['total']} positionnements — "
                f"{counts['not_started']} non commencés, {counts['in_progress']} en cours, "
                f"{counts['submitted']} soumis"
            )
        year = plans()[CONTRIBUTION_PLAN].school_year
        assessment = f"positionnement {year} de {demo_school(SchoolKind.COLLEGE)}"
        if result.contributors:
            names = ", ".join(f"« {name} »" for name in result.contributors)
            self.stdout.write(f"Contributions individuelles de {names} au {assessment}.")
        if result.missing_contributors:
            names = ", ".join(f"« {name} »" for name in result.missing_contributors)
            self.stdout.write(
                f"Pas de contribution individuelle de {names} au {assessment} : ces comptes n’existaient "
                "pas à la création des campagnes. Sur une base neuve, lancez « paliers demo_accounts » "
                "avant « paliers demo_campaigns »."
            )

from django.core.management.base import BaseCommand

from paliers.assessments.models import Campaign
from paliers.assessments.publication import publish_round


class Command(BaseCommand):
    help = (
        "Publie les moyennes de comparaison (district, département, académie) de chaque campagne, "
        "selon la règle de publication : une moyenne n’est remplacée que si au moins cinq écoles ont "
        "changé depuis. Les pages le font aussi à la lecture ; cette commande le fait partout d’un "
        "coup (par exemple chaque nuit). La relancer ne publie rien de plus."
    )

    def handle(self, *args, **options):
        rounds = Campaign.objects.values_list("framework_id", "school_year").distinct().order_by()
        written = sum(publish_round(framework_id, school_year) for framework_id, school_year in set(rounds))
        if not written:
            self.stdout.write("Aucune moyenne publiée : aucune n’a assez changé depuis sa publication.")
        else:
            self.stdout.write(
                f"{written} moyenne{'s' if written > 1 else ''} publiée{'s' if written > 1 else ''}."
            )

from django.core.management.base import BaseCommand

from paliers.roadmap.demo import create_demo_roadmap
from paliers.roadmap.indicators import points, shown


class Command(BaseCommand):
    help = (
        "Charge dans l’académie de démonstration l’exemple de feuille de route de Limoges 2016-2017, "
        "avec quelques valeurs saisies à la main ; si elle y est déjà, ne change rien. Lancez "
        "demo_accounts et demo_campaigns avant, pour que les indicateurs calculés aient des valeurs."
    )

    def handle(self, *args, **options):
        roadmap, created = create_demo_roadmap()
        state = "chargée" if created else "déjà présente, rien n’a été modifié"
        self.stdout.write(f"Feuille de route de démonstration {state} : {roadmap}.")
        viewer = roadmap.created_by  # the demo's DAN: the values as she sees them
        if viewer is None:
            return
        for axis in roadmap.axes.prefetch_related("indicators"):
            for indicator in axis.indicators.all():
                if indicator.computed:
                    indicator.axis = axis
                    found = " ; ".join(
                        f"{p.label} : {shown(p, indicator)}" for p in points(indicator, viewer)
                    )
                    self.stdout.write(f"  {indicator.title} — {found or 'pas encore de campagne'}")

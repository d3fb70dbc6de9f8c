import time

from django.core.management.base import BaseCommand

from paliers.assessments.aggregates import rebuild


class Command(BaseCommand):
    help = (
        "Recalcule les agrégats de l’observatoire (synthèses des positionnements et décomptes) à "
        "partir des réponses. Utile après une écriture directe en base, ou après une importation de "
        "l’annuaire qui a changé le type, le secteur ou l’éducation prioritaire d’écoles. Sans effet "
        "sur les réponses ; le relancer ne change rien de plus."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = rebuild()
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        self.stdout.write(f"Agrégats recalculés pour {count} positionnements en {seconds} s.")

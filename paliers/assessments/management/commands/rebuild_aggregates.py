import time

from django.core.management.base import BaseCommand

from paliers.assessments.tasks import rebuild_aggregates
from paliers.workers.inline import run_ready_tasks


class Command(BaseCommand):
    help = (
        "Recalcule les agrégats de l’observatoire (synthèses des positionnements et décomptes) à "
        "partir des réponses. Utile après une écriture directe en base, ou après une importation de "
        "l’annuaire qui a changé le type, le secteur ou l’éducation prioritaire d’écoles. Sans effet "
        "sur les réponses ; le relancer ne change rien de plus. Met le recalcul en file pour un "
        "processus de travail, ou l’exécute ici avec --now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="exécuter ici, sans processus de travail")

    def handle(self, *args, now=False, **options):
        started = time.perf_counter()
        result = rebuild_aggregates.enqueue()
        if not now:
            self.stdout.write(f"Recalcul des agrégats mis en file (tâche {result.id}).")
            return
        [ran] = run_ready_tasks(ids=[result.id])
        if ran.status != "SUCCESSFUL":
            self.stderr.write(ran.traceback)
            raise SystemExit(1)
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        self.stdout.write(f"Agrégats recalculés pour {ran.return_value} positionnements en {seconds} s.")

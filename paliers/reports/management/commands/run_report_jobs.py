import time

from django.core.management.base import BaseCommand

from paliers.reports.jobs import build, claim_next, purge_expired, refresh_connection, worker_name


class Command(BaseCommand):
    help = (
        "Prépare les lots de rapports PDF en attente (archives ZIP d’un périmètre). Chaque lot est "
        "pris par un seul processus ; un lot dont le processus s’est arrêté est repris. Sans --once, "
        "la commande attend les lots suivants."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="traiter les lots en attente puis s’arrêter")
        parser.add_argument("--poll", type=float, default=2.0, help="secondes entre deux recherches de lots")

    def handle(self, *args, once=False, poll=2.0, **options):
        worker, built = worker_name(), 0
        while True:
            refresh_connection()  # a long-running worker: as between requests
            purge_expired()
            job_id = claim_next(worker)
            if job_id is not None:
                build(job_id, worker)
                built += 1
                self.stdout.write(f"Lot {job_id} traité.")
                continue
            if once:
                break
            time.sleep(poll)
        self.stdout.write(f"{built} lot(s) de rapports traité(s).")

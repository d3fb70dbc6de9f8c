from django.core.management.base import BaseCommand
from django.utils import timezone

from paliers.workers.daily import enqueue_daily, run_daily


class Command(BaseCommand):
    help = (
        "Met en file les tâches du jour : rappels par courriel (objectifs dont l’échéance approche ou "
        "est dépassée…) et nettoyages. Chaque rappel part au plus une fois par jour : la commande peut "
        "être lancée plusieurs fois par jour (minuteur systemd, cron). Avec --now, les exécute ici "
        "plutôt que dans un processus de travail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="exécuter ici, sans processus de travail")

    def handle(self, *args, now=False, **options):
        today = timezone.localdate()
        if now:
            for name, status, value in run_daily(today):
                self.stdout.write(f"{name} : {status} {value if value is not None else ''}".rstrip())
            return
        for name, result_id in enqueue_daily(today):
            self.stdout.write(f"{name} : en file (tâche {result_id})")

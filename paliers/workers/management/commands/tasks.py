from django.core.management.base import BaseCommand
from django.utils import timezone

from paliers.workers.queue import STATUSES, failed, last_line, short_name, snapshot


class Command(BaseCommand):
    help = (
        "État des travaux de fond : processus de travail inscrits, tâches en attente, en cours, "
        "réussies et en échec par sorte de tâche ; avec --failed, les dernières tâches en échec et "
        "leur erreur (relancer : paliers retry_task ID)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="lister les tâches en échec")

    def handle(self, *args, **options):
        if options["failed"]:
            for result in failed():
                when = timezone.localtime(result.finished_at).strftime("%d/%m/%Y %H:%M")
                self.stdout.write(
                    f"{result.pk}  {short_name(result.task_path)} {result.args_kwargs['args']}  {when}\n"
                    f"    {last_line(result.traceback)}"
                )
            return
        state = snapshot()
        workers = state["workers"]
        self.stdout.write(f"Processus de travail : {sum(alive for _, alive in workers)} actif(s)")
        for worker, alive in workers:
            seen = int((state["now"] - worker.seen_at).total_seconds())
            status = "actif" if alive else "arrêté (ses tâches seront remises en file)"
            self.stdout.write(f"  {worker.worker_id} sur {worker}, vu il y a {seen} s : {status}")
        if state["oldest_ready"]:
            waited = int((state["now"] - state["oldest_ready"]).total_seconds())
            self.stdout.write(f"Plus ancienne tâche en attente : depuis {waited} s")
        self.stdout.write("Tâches :")
        for name, counts in sorted(state["counts"].items()):
            detail = ", ".join(f"{counts[s]} {label}" for s, label in STATUSES.items() if counts.get(s))
            self.stdout.write(f"  {name} : {detail}")

from django.core.management.base import BaseCommand, CommandError

from paliers.workers.queue import failed, retry


class Command(BaseCommand):
    help = (
        "Remet en file des tâches en échec (leurs identifiants, vus avec paliers tasks --failed, ou "
        "--all-failed) ; le travail qu’elles suivent (lot de rapports, import) repart. Les tâches de "
        "Paliers peuvent s’exécuter deux fois sans dommage."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", help="identifiants des tâches")
        parser.add_argument("--all-failed", action="store_true", help="toutes les tâches en échec")

    def handle(self, *args, ids=(), all_failed=False, **options):
        if all_failed:
            ids = [result.pk for result in failed(limit=None)]
        if not ids:
            raise CommandError("Donnez les identifiants des tâches à relancer, ou --all-failed.")
        requeued = retry(ids)
        self.stdout.write(f"{len(requeued)} tâche(s) remise(s) en file.")
        for pk in set(map(str, ids)) - set(requeued):
            self.stderr.write(f"{pk} : introuvable ou pas en échec.")

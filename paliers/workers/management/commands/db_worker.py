"""django-tasks-db's `db_worker`, with its options, running Paliers' `Worker`: registered,
and putting back in the queue the tasks of workers that died (paliers/workers/worker.py).
`paliers.workers` comes before `django_tasks_db` in INSTALLED_APPS, so this command is
the one `paliers db_worker` runs."""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as upstream

from paliers.workers.worker import Worker


class Command(upstream.Command):
    help = (
        "Processus de travail de fond : exécute les tâches en file (rapports PDF, import de l’annuaire, "
        "rappels, agrégats), une à la fois. Lancez-en un par cœur de processeur. Les tâches d’un "
        "processus arrêté brutalement sont remises en file."
    )

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload,
               max_tasks, worker_id, exclude_queues, **options):  # fmt: skip
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues ne s’emploie qu’avec --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()

"""`paliers db_worker`: django-tasks-db's worker, registered and rescuing dead workers' tasks.

The loop is django-tasks-db's own (claim the next ready task in an exclusive transaction,
run it, sleep when the queue is empty), written out here because it offers no hook between
two polls: this one also registers the process (`processes.register`), and while idle or
between tasks, every `RESCUE_EVERY`, puts back in the queue the tasks of dead workers.
Running a task, marking it successful or failed, and the signals are upstream's
`Worker.run_task`, but for one case: a worker told twice to stop (Ctrl-C twice, or
`kill` then `kill` again) abandons its task, which upstream records as failed — nobody
would then finish the batch that waits for it. Here the task goes back to the queue.
"""

import logging
import random
import signal
import time
from datetime import timedelta

from django.db import close_old_connections
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from . import processes

log = logging.getLogger("django_tasks_db")

RESCUE_EVERY = timedelta(seconds=30)


class Interrupted(BaseException):
    """The worker was told again to stop while it ran a task: the task stops here."""


class Worker(upstream.Worker):
    def shutdown(self, signum, frame):
        if not self.running and self.running_task:
            self.reset_signals()
            raise Interrupted(signal.strsignal(signum))
        super().shutdown(signum, frame)

    def run(self):
        close_old_connections()
        processes.register(self.worker_id)
        try:
            self._loop()
        finally:
            try:
                processes.unregister()
            except Exception:  # the database is gone: the next worker will forget us
                log.warning("Processus de travail %s : désinscription impossible.", self.worker_id)

    def _loop(self):
        log.info("Processus de travail %s : file(s) %s.", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 (workers started together poll apart)
        rescued_at = None
        while self.running:
            close_old_connections()
            now = timezone.now()
            if rescued_at is None or now - rescued_at >= RESCUE_EVERY:
                processes.rescue_lost_tasks(now)
                rescued_at = now
            processes.beat()
            task_result, polled = self._claim_next()
            if task_result is not None:
                self.run_task(task_result)
            elif self.batch and polled:
                log.info("Processus de travail %s : plus aucune tâche, arrêt.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                log.info(
                    "Processus de travail %s : %d tâches faites, arrêt.", self.worker_id, self._run_tasks
                )
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)

    def _claim_next(self):
        """(the next ready task, claimed by this worker, or None; whether the queue answered)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None, False  # SQLite busy: poll again
            raise
        return task_result, True

    def run_task(self, db_task_result):
        processes.beat(force=True)
        try:
            super().run_task(db_task_result)
        finally:
            processes.beat(force=True)
        if db_task_result.exception_class_path == f"{__name__}.{Interrupted.__qualname__}":
            requeue_interrupted(db_task_result)
            log.warning(
                "Processus de travail %s : arrêt forcé, la tâche %s est remise en file.",
                self.worker_id,
                db_task_result.pk,
            )
            raise SystemExit(1)


def requeue_interrupted(db_task_result):
    """Put an interrupted task back in the queue: not a failure, it runs again from the
    start (its worker ids stay: the interruption counts as an attempt, as a kill does)."""
    DBTaskResult.objects.filter(pk=db_task_result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, finished_at=None, exception_class_path="", traceback=""
    )

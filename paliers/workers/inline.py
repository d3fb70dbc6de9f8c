"""Running queued tasks in this process, as a worker would (`--now` options of the commands,
and the tests that do not start worker processes)."""

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_ready_tasks(since=None, ids=None, worker_id="ce-processus"):
    """Run the ready tasks — those of `ids`, or those enqueued since `since` (the tasks
    they enqueue included), or all — until none is left; returns their results, refreshed."""
    runner = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
    )  # fmt: skip
    ran = []
    while True:
        ready = DBTaskResult.objects.ready()
        if since is not None:
            ready = ready.filter(enqueued_at__gte=since)
        if ids is not None:
            ready = ready.filter(pk__in=ids)
        result = ready.first()
        if result is None:
            break
        claimed = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.READY).update(
            status=TaskResultStatus.RUNNING,
            started_at=timezone.now(),
            worker_ids=[*result.worker_ids, worker_id],
        )
        if claimed:  # else a worker took it meanwhile
            result.refresh_from_db()
            runner.run_task(result)
            ran.append(result.pk)
    found = DBTaskResult.objects.in_bulk(ran)
    return [found[pk] for pk in ran]  # in the order they ran

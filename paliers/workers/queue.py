"""The queue as operators see it (`paliers tasks`) and act on it (`paliers retry_task`)."""

from django.db.models import Count, Min
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import processes, tracking
from .models import WorkerProcess

STATUSES = {
    TaskResultStatus.READY: "en attente",
    TaskResultStatus.RUNNING: "en cours",
    TaskResultStatus.SUCCESSFUL: "réussies",
    TaskResultStatus.FAILED: "en échec",
}


def short_name(task_path):
    return task_path.rsplit(".", 1)[-1]


def snapshot(now=None):
    """Workers and tasks, in numbers: what `paliers tasks` prints."""
    now = now or timezone.now()
    workers = [(w, processes.alive(w, now)) for w in WorkerProcess.objects.order_by("started_at")]
    counts = {}
    for row in DBTaskResult.objects.values("task_path", "status").annotate(n=Count("pk")):
        counts.setdefault(short_name(row["task_path"]), {})[row["status"]] = row["n"]
    oldest_ready = DBTaskResult.objects.ready().aggregate(at=Min("enqueued_at"))["at"]
    return {"workers": workers, "counts": counts, "oldest_ready": oldest_ready, "now": now}


def failed(limit=50):
    return DBTaskResult.objects.failed().order_by("-finished_at")[:limit]


def last_line(traceback):
    lines = [line for line in (traceback or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def retry(ids):
    """Queue these failed tasks again (their count of attempts starts anew) and put the rows
    they track back in the waiting state; the ids actually requeued."""
    autodiscover_modules("tasks")  # the registry of tracked tasks
    requeued = []
    for result in DBTaskResult.objects.failed().filter(pk__in=ids):
        model = tracking.TRACKED.get(result.task_path)
        if model is not None and result.args_kwargs["args"]:
            tracking.reopen(model, result.args_kwargs["args"][0])
        DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY,
            worker_ids=[],
            finished_at=None,
            exception_class_path="",
            traceback="",
        )
        requeued.append(str(result.pk))
    return requeued

"""The worker processes, alive or not, and the rescue of the tasks a dead one held.

django-tasks' database backend marks a task RUNNING when a worker claims it and never
looks at it again: a worker killed with SIGKILL (out of memory, a machine lost, `kill -9`)
leaves it RUNNING for ever. Each `paliers db_worker` therefore registers itself
(`WorkerProcess`), and workers put back in the queue the RUNNING tasks whose worker is
dead: on the same machine, its process is gone (its PID no longer runs, or runs another
program: the kernel's start time differs); on another machine, it has given no sign of
life for `STALE_AFTER` (workers beat between tasks, long tasks through their progress).
Every task of Paliers is idempotent, so running one again is safe.
"""

import logging
import os
import socket
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerProcess

log = logging.getLogger(__name__)

HOST = socket.gethostname()[:255]
STALE_AFTER = timedelta(minutes=10)  # no sign of life from another machine for this long: dead
BEAT_EVERY = timedelta(seconds=20)

# The worker this process is, once `register` ran (None in web processes and tests).
current = {"worker_id": None, "beaten_at": None}


def process_start(pid):
    """The process's start time in clock ticks since boot (Linux), "" where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # Field 22; the command name (field 2) may hold spaces and parentheses.
    return stat.rsplit(")", 1)[1].split()[19]


def register(worker_id):
    """Record this process as the worker `worker_id`; from now on, `beat` refreshes it."""
    now = timezone.now()
    pid = os.getpid()
    WorkerProcess.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": HOST, "pid": pid, "process_start": process_start(pid), "seen_at": now},
    )
    current.update(worker_id=worker_id, beaten_at=now)


def unregister():
    if current["worker_id"] is not None:
        WorkerProcess.objects.filter(worker_id=current["worker_id"]).delete()
        current.update(worker_id=None, beaten_at=None)


def beat(force=False):
    """Tell the other machines that this worker lives (at most every BEAT_EVERY)."""
    worker_id, now = current["worker_id"], timezone.now()
    if worker_id is None or (not force and now - current["beaten_at"] < BEAT_EVERY):
        return
    WorkerProcess.objects.filter(worker_id=worker_id).update(seen_at=now)
    current["beaten_at"] = now


def alive(worker, now=None):
    """Whether the registered process still runs (see the module's docstring)."""
    if worker.host == HOST:
        try:
            os.kill(worker.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # it runs, as another user
        return not worker.process_start or process_start(worker.pid) == worker.process_start
    return worker.seen_at >= (now or timezone.now()) - STALE_AFTER


def lost_tasks(now=None):
    """The RUNNING tasks whose worker is dead: [(DBTaskResult, reason)]."""
    now = now or timezone.now()
    workers = {w.worker_id: w for w in WorkerProcess.objects.all()}
    verdicts = {}
    lost = []
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "task_path"):
        owner = result.worker_ids[-1] if result.worker_ids else None
        worker = workers.get(owner)
        if worker is None:
            # Claimed by a process that never registered (or whose record was removed as
            # dead): only its age can tell.
            if result.started_at is None or result.started_at < now - STALE_AFTER:
                lost.append((result, "processus inconnu"))
            continue
        if owner not in verdicts:
            verdicts[owner] = alive(worker, now)
        if not verdicts[owner]:
            lost.append((result, f"processus {worker} arrêté"))
    return lost


def rescue_lost_tasks(now=None):
    """Put the tasks of dead workers back in the queue and forget those workers; returns
    the ids of the tasks requeued. Safe when several workers rescue at once: a task goes
    back only if it is still RUNNING as it was seen."""
    now = now or timezone.now()
    requeued = []
    for result, reason in lost_tasks(now):
        moved = DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        ).update(status=TaskResultStatus.READY)
        if moved:
            requeued.append(result.pk)
            log.warning("Tâche %s (%s) remise en file : %s.", result.pk, result.task_path, reason)
    dead = [w.pk for w in WorkerProcess.objects.exclude(worker_id=current["worker_id"]) if not alive(w, now)]
    WorkerProcess.objects.filter(pk__in=dead).delete()
    return requeued

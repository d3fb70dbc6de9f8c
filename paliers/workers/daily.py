"""Tasks started once a day by `paliers send_reminders` (the daily timer, or cron).

An app declares one with `@daily` on a task taking the day as an ISO date string; the
command imports every app's `tasks` module and enqueues each daily task for today. Each
must be safe when run twice the same day (a second run sends nothing: see the objectives'
`Reminder` rows), since the timer runs twice a day and possibly on several machines.
"""

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .inline import run_ready_tasks

DAILY = []


def daily(task):
    DAILY.append(task)
    return task


def daily_tasks():
    autodiscover_modules("tasks")
    return list(DAILY)


def enqueue_daily(day):
    """Enqueue today's tasks; [(name, task result id)]."""
    return [(task.name, task.enqueue(day.isoformat()).id) for task in daily_tasks()]


def run_daily(day):
    """Run them in this process instead (`--now`); [(name, status, return value)]."""
    since = timezone.now()
    enqueue_daily(day)
    return [(r.task_name, r.status, r.return_value) for r in run_ready_tasks(since)]

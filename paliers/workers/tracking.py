"""The rules every task of Paliers follows, in one decorator, and the progress of long ones.

`@background_task(...)` is django-tasks' `@task` (same options), plus:
- a task whose workers were killed under it `MAX_ATTEMPTS` times (out of memory, say) fails
  at its next start instead of killing one more worker;
- with `tracks=Model` (a `TrackedWork`), the task's first argument is the id of the row
  that a page follows: the row goes « en cours » when the task starts, and « échec »
  with a message in French when it raises (the traceback stays in the task's result,
  for the administrators).
"""

import time

from django.core.exceptions import ValidationError
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from . import processes
from .models import WorkState

MAX_ATTEMPTS = 3
TRACKED = {}  # task path → the TrackedWork model its first argument names


class Abandoned(Exception):
    """The task's workers were killed under it too many times."""


def background_task(tracks=None, **options):
    def decorate(function):
        def run(context, *args, **kwargs):
            pk = args[0] if args else None
            if context.attempt > MAX_ATTEMPTS:
                error = Abandoned(
                    _(
                        "Le travail a été interrompu %(count)s fois (processus arrêté, mémoire "
                        "insuffisante ?) : il n’est pas relancé une fois de plus."
                    )
                    % {"count": context.attempt - 1}
                )
                if tracks is not None:
                    fail(tracks, pk, error)
                raise error
            if tracks is None:
                return function(*args, **kwargs)
            try:
                return function(*args, **kwargs)
            except Exception as error:
                fail(tracks, pk, error)
                raise

        # The task's name and path are the function's (the worker imports it by that path);
        # not functools.wraps, whose __wrapped__ would hide `context` from django-tasks' check.
        for name in ("__module__", "__name__", "__qualname__", "__doc__"):
            setattr(run, name, getattr(function, name))
        background = task(takes_context=True, **options)(run)
        if tracks is not None:
            TRACKED[background.module_path] = tracks
        return background

    return decorate


def french_message(error):
    """What the requester reads: the message of an error meant for them, else its kind."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    message = getattr(error, "message", None)
    if isinstance(message, str) or isinstance(error, Abandoned):
        return message or str(error)
    detail = str(error)[:500]
    return _("Erreur inattendue (%(kind)s)%(detail)s") % {
        "kind": type(error).__name__,
        "detail": f" : {detail}" if detail else "",
    }


def start(model, pk):
    """Mark the row « en cours » (not one finished already); False when it is."""
    return bool(
        model.objects.filter(pk=pk, state__in=[WorkState.QUEUED, WorkState.RUNNING]).update(
            state=WorkState.RUNNING, started_at=Coalesce("started_at", Value(timezone.now()))
        )
    )


def finish(model, pk, **fields):
    model.objects.filter(pk=pk).update(state=WorkState.DONE, finished_at=timezone.now(), **fields)


def reopen(model, pk):
    """A failed row waits again (its task is about to run again)."""
    model.objects.filter(pk=pk, state=WorkState.FAILED).update(
        state=WorkState.QUEUED, error="", finished_at=None, queued_at=timezone.now()
    )


def fail(model, pk, error):
    """Record the failure on the row, unless the work was done meanwhile (another attempt)."""
    model.objects.filter(pk=pk).exclude(state=WorkState.DONE).update(
        state=WorkState.FAILED, error=french_message(error)[:2000], finished_at=timezone.now()
    )


class Progress:
    """`progress(done, total)`: written to the row at most once a `every` seconds (and the
    last call always), with a sign of life of the worker."""

    def __init__(self, model, pk, every=1.0):
        self.model, self.pk, self.every, self.written_at = model, pk, every, 0.0

    def __call__(self, done, total=None, force=False):
        now = time.monotonic()
        if not force and now - self.written_at < self.every and (total is None or done < total):
            return
        fields = {"done": done} if total is None else {"done": done, "total": total}
        self.model.objects.filter(pk=self.pk).update(**fields)
        self.written_at = now
        processes.beat()

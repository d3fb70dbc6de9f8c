"""What the background work keeps besides django-tasks' own queue (`DBTaskResult`): the
worker processes alive, so that a killed one's tasks run again, and the progress of the
long pieces of work that a page follows (`TrackedWork`, made concrete by each app)."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WAIT_NOTICE = timedelta(minutes=1)


class WorkerProcess(models.Model):
    """A `paliers db_worker` process, from its start to its exit.

    Its `worker_id` is the one django-tasks appends to `DBTaskResult.worker_ids` when the
    process claims a task; `host`, `pid` and `process_start` tell, on the same machine,
    whether that very process still runs (a PID reused by another program has another start
    time); `seen_at`, refreshed between tasks and by long tasks' progress, tells it from
    another machine."""

    worker_id = models.CharField(_("identifiant"), max_length=64, unique=True)
    host = models.CharField(_("machine"), max_length=255)
    pid = models.PositiveIntegerField(_("numéro de processus"))
    process_start = models.CharField(_("démarrage du processus (noyau)"), max_length=40, blank=True)
    started_at = models.DateTimeField(_("démarré le"), auto_now_add=True)
    seen_at = models.DateTimeField(_("dernier signe de vie"))

    class Meta:
        verbose_name = _("processus de travail de fond")
        verbose_name_plural = _("processus de travail de fond")

    def __str__(self):
        return f"{self.host}:{self.pid}"


class WorkState(models.TextChoices):
    QUEUED = "en_attente", _("en attente")
    RUNNING = "en_cours", _("en cours")
    DONE = "termine", _("terminé")
    FAILED = "echec", _("échec")


class TrackedWork(models.Model):
    """A piece of background work that someone waits for on a page: its state, its progress
    (`done` of `total`) and, when it failed, the message shown to them in French."""

    state = models.CharField(_("état"), max_length=12, choices=WorkState.choices, default=WorkState.QUEUED)
    queued_at = models.DateTimeField(_("mis en file le"), null=True, blank=True)
    done = models.PositiveIntegerField(_("fait"), default=0)
    total = models.PositiveIntegerField(_("à faire"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def finished(self):
        return self.state in {WorkState.DONE, WorkState.FAILED}

    @property
    def waits_for_a_worker(self):
        """Queued for more than WAIT_NOTICE and not started: no worker may be running."""
        return (
            self.state == WorkState.QUEUED
            and self.queued_at is not None
            and self.queued_at < timezone.now() - WAIT_NOTICE
        )

    @property
    def percent(self):
        return min(100, int(100 * self.done / self.total)) if self.total else 0

"""What reports and exchanges keep between two requests: an uploaded spreadsheet waiting
for its application, and the batches of PDF reports built in the background.

Both live in the database rather than on a local disk, so that any application process
(or a `paliers run_report_jobs` worker on another machine) can take them up.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from paliers.assessments.models import Assessment, Campaign


class SpreadsheetImport(models.Model):
    """A spreadsheet read and validated, waiting for the user to confirm its changes.

    Only the changes are kept (with the answer versions seen when the file was read): the
    application passes those versions on, so a change made in Paliers after the preview
    is refused rather than overwritten."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField("nom du fichier", max_length=255)
    # [{"criterion", "value", "comment", "version", "old_value", "old_comment", "changed_since_export"}]
    changes = models.JSONField("modifications", default=list)
    unchanged = models.PositiveIntegerField("critères inchangés", default=0)
    # Answers changed in Paliers since the export that the file leaves as they were: kept.
    kept = models.JSONField("modifications faites depuis l’export, conservées", default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)

    class Meta:
        verbose_name = "import de tableur en attente"
        verbose_name_plural = "imports de tableur en attente"

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("reports:import_review", args=[self.assessment_id, self.pk])


class JobState(models.TextChoices):
    QUEUED = "en_attente", _("en attente")
    RUNNING = "en_cours", _("en cours")
    DONE = "termine", _("terminé")
    FAILED = "echec", _("échec")


class ReportJob(models.Model):
    """The ZIP of a campaign's PDF reports over the requester's scope, built in the background.

    Claimed by one process at a time (an UPDATE that only succeeds on a queued job, or on a
    running one whose heartbeat stopped); `done` / `total` is the progress the page shows."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    state = models.CharField("état", max_length=12, choices=JobState.choices, default=JobState.QUEUED)
    total = models.PositiveIntegerField("rapports à produire", default=0)
    done = models.PositiveIntegerField("rapports produits", default=0)
    claimed_by = models.CharField("pris en charge par", max_length=200, blank=True)
    heartbeat_at = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    error = models.TextField("erreur", blank=True)
    filename = models.CharField("nom du fichier", max_length=200, blank=True)
    size = models.PositiveBigIntegerField("taille (octets)", default=0)

    class Meta:
        verbose_name = "lot de rapports"
        verbose_name_plural = "lots de rapports"
        indexes = [models.Index(fields=["state", "requested_at"], name="report_job_state")]

    def __str__(self):
        return f"{self.campaign} — {self.requested_by} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("reports:job", args=[self.pk])

    @property
    def finished(self):
        return self.state in {JobState.DONE, JobState.FAILED}

    @property
    def percent(self):
        return int(100 * self.done / self.total) if self.total else 0


class ReportChunk(models.Model):
    """One megabyte of a finished ZIP: read one row at a time when downloading, so that
    neither the database driver nor the web process holds the whole file."""

    job = models.ForeignKey(ReportJob, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField("rang")
    data = models.BinaryField("contenu")

    class Meta:
        verbose_name = "morceau de lot"
        verbose_name_plural = "morceaux de lots"
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="report_chunk_unique_number")]

    def __str__(self):
        return f"{self.job_id} / {self.number}"

"""What reports and exchanges keep between two requests: an uploaded spreadsheet waiting
for its application, and the batches of PDF reports built in the background.

Both live in the database rather than on a local disk, so that any application process
(or a `paliers db_worker` process on another machine) can take them up.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from paliers.assessments.models import Assessment, Campaign
from paliers.workers.models import TrackedWork


class SpreadsheetImport(models.Model):
    """A spreadsheet read and validated, waiting for the user to confirm its changes.

    Only the changes are kept (with the answer versions seen when the file was read): the
    application passes those versions on, so a change made in Paliers after the preview
    is refused rather than overwritten."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("nom du fichier"), max_length=255)
    # [{"criterion", "value", "comment", "version", "old_value", "old_comment", "changed_since_export"}]
    changes = models.JSONField(_("modifications"), default=list)
    unchanged = models.PositiveIntegerField(_("critères inchangés"), default=0)
    # Answers changed in Paliers since the export that the file leaves as they were: kept.
    kept = models.JSONField(_("modifications faites depuis l’export, conservées"), default=list)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("import de tableur en attente")
        verbose_name_plural = _("imports de tableur en attente")

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("reports:import_review", args=[self.assessment_id, self.pk])


class ReportBatch(TrackedWork):
    """The ZIP of a campaign's PDF reports over the requester's scope, built in the background.

    The request fixes the list of reports (a `ReportPart` each, the scope's summary first)
    and queues one task per small group of them; the task that finds every part built
    queues the one that assembles the ZIP. `total` is the number of parts; how many are
    built is counted from the parts themselves, so a task run twice counts nothing twice."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    filename = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    assembly_queued = models.BooleanField(_("assemblage mis en file"), default=False)

    class Meta:
        verbose_name = _("lot de rapports")
        verbose_name_plural = _("lots de rapports")
        indexes = [models.Index(fields=["state", "requested_at"], name="report_job_state")]

    def __str__(self):
        return f"{self.campaign} — {self.requested_by} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("reports:job", args=[self.pk])


class ReportPart(models.Model):
    """One PDF of a batch: the scope's summary (position 0, no assessment) or one school's
    report, built by the task of its `group`, kept until the ZIP is assembled."""

    batch = models.ForeignKey(ReportBatch, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveIntegerField(_("rang dans l’archive"))
    group = models.PositiveIntegerField(_("groupe (une tâche)"))
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("nom dans l’archive"), max_length=200)
    pdf = models.BinaryField(_("document"), null=True, blank=True)
    built_at = models.DateTimeField(_("produit le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapport d’un lot")
        verbose_name_plural = _("rapports d’un lot")
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="report_part_unique_position")
        ]
        indexes = [models.Index(fields=["batch", "group"], name="report_part_group")]

    def __str__(self):
        return self.name


class ReportChunk(models.Model):
    """One megabyte of a finished ZIP: read one row at a time when downloading, so that
    neither the database driver nor the web process holds the whole file."""

    batch = models.ForeignKey(ReportBatch, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField(_("rang"))
    data = models.BinaryField(_("contenu"))

    class Meta:
        verbose_name = _("morceau de lot")
        verbose_name_plural = _("morceaux de lots")
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="report_chunk_unique_number")]

    def __str__(self):
        return f"{self.batch_id} / {self.number}"

"""The campaign life cycle's tables: the reminders sent, and the figures frozen at the close.

The frozen tables are copies of the aggregate tables (aggregate_models.py), written once by
the task that closes a campaign (lifecycle.freeze): the observatory, the benchmark and the
roadmap's indicators read a closed campaign from them, so a late answer changes only the
live tables (« aujourd'hui »). Models named by string: imported by models.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .aggregate_models import KEY_FIELDS, Tally
from .stages import Stage


class ReminderCause(models.TextChoices):
    SCHEDULE = "schedule", _("calendrier de la campagne")
    MANUAL = "manual", _("relance manuelle")


class CampaignReminder(models.Model):
    """One e-mail sent to a school's heads and référents about a campaign. At most one per
    school and day, whatever the cause: the unique constraint, written in the transaction
    that sends the e-mail, makes a second attempt that day send nothing."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="campaign_reminders")
    campaign = models.ForeignKey("assessments.Campaign", on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField(_("envoyée le"))
    sent_at = models.DateTimeField(_("heure d’envoi"), auto_now_add=True)
    cause = models.CharField(_("motif"), max_length=10, choices=ReminderCause.choices)
    stage = models.CharField(_("état du positionnement"), max_length=12, choices=Stage.choices)
    recipients = models.TextField(_("destinataires"))  # the addresses, one a line
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("relancée par"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("relance de campagne")
        verbose_name_plural = _("relances de campagne")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "sent_on"], name="campaign_reminder_one_per_school_day")
        ]

    def __str__(self):
        return f"{self.school_id} — {self.sent_on:%d/%m/%Y}"


class ClosedSummary(models.Model):
    """AssessmentSummary as it stood at the close."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, primary_key=True, related_name="closed_summary"
    )
    campaign = models.ForeignKey("assessments.Campaign", on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("schools.Department", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=20)
    sector = models.CharField(_("secteur"), max_length=10)
    priority_education = models.CharField(_("éducation prioritaire"), max_length=4, blank=True)
    stage = models.CharField(_("étape"), max_length=12, choices=Stage.choices)
    answered = models.PositiveIntegerField(_("critères renseignés"))
    met = models.PositiveIntegerField(_("critères atteints"))
    overall_level = models.PositiveSmallIntegerField(_("niveau global"))
    overall_score = models.PositiveIntegerField(_("score global (millièmes)"))
    domains = models.JSONField(_("niveaux et scores par domaine"))
    answers = models.TextField(_("réponses"))

    class Meta:
        verbose_name = _("synthèse à la clôture")
        verbose_name_plural = _("synthèses à la clôture")
        indexes = [models.Index(fields=["campaign", "department", "stage"], name="closed_summary_campaign")]

    def __str__(self):
        return f"synthèse à la clôture du positionnement {self.assessment_id}"


class ClosedStageTally(Tally):
    schools = models.IntegerField(pgettext_lazy("count", "écoles"))

    class Meta:
        verbose_name = _("décompte de participation à la clôture")
        verbose_name_plural = _("décomptes de participation à la clôture")
        constraints = [models.UniqueConstraint(fields=KEY_FIELDS, name="closed_stage_tally_key")]


class ClosedDomainTally(Tally):
    domain = models.ForeignKey("frameworks.Domain", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("niveau atteint"))
    schools = models.IntegerField(pgettext_lazy("count", "écoles"))
    score_sum = models.BigIntegerField(_("somme des scores (millièmes)"))

    class Meta:
        verbose_name = _("décompte par domaine à la clôture")
        verbose_name_plural = _("décomptes par domaine à la clôture")
        constraints = [
            models.UniqueConstraint(fields=[*KEY_FIELDS, "domain", "level"], name="closed_domain_tally_key")
        ]


class ClosedCriterionTally(Tally):
    criterion = models.ForeignKey("frameworks.Criterion", on_delete=models.CASCADE, related_name="+")
    met = models.IntegerField(_("atteint"))
    in_progress = models.IntegerField(_("en cours"))
    not_met = models.IntegerField(_("non atteint"))

    class Meta:
        verbose_name = _("décompte par critère à la clôture")
        verbose_name_plural = _("décomptes par critère à la clôture")
        constraints = [
            models.UniqueConstraint(fields=[*KEY_FIELDS, "criterion"], name="closed_criterion_tally_key")
        ]

"""Campaigns and self-assessments: each school positions itself on a framework once per
campaign, as a team; members can also give their own contribution.

Concurrency: each answer carries a version; a save made over a version its author has not
seen is refused (see answering.py), so nothing is overwritten silently.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from paliers.frameworks.models import Criterion, Framework
from paliers.schools.models import Academy, Department, School, SchoolKind

from .stages import CampaignState, Stage, stage_of


class AnswerValue(models.TextChoices):
    NOT_ANSWERED = "non_renseigne", _("non renseigné")
    NOT_MET = "non_atteint", _("non atteint")
    IN_PROGRESS = "en_cours", _("en cours")
    MET = "atteint", _("atteint")


class SchoolGroup(models.TextChoices):
    ECOLES = "ecoles", _("écoles")
    ETABLISSEMENTS = "etablissements", _("établissements (collèges, lycées, EREA)")


GROUP_KINDS = {
    SchoolGroup.ECOLES: (SchoolKind.MATERNELLE, SchoolKind.ELEMENTAIRE, SchoolKind.PRIMAIRE),
    SchoolGroup.ETABLISSEMENTS: (
        SchoolKind.COLLEGE,
        SchoolKind.LGT,
        SchoolKind.LP,
        SchoolKind.LPO,
        SchoolKind.EREA,
        SchoolKind.AGRICOLE,
    ),
}


def validate_school_year(value):
    match = re.fullmatch(r"(\d{4})-(\d{4})", value or "")
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ValidationError(gettext("Année scolaire attendue sous la forme 2025-2026."))


DEFAULT_REMINDER_DAYS = "21,7,1"


def validate_reminder_days(value):
    """« 21,7,1 »: days before the close, each between 1 and 120; empty for none."""
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    if not all(p.isdigit() and 1 <= int(p) <= 120 for p in parts):
        raise ValidationError(
            gettext(
                "Jours de relance attendus sous la forme 21,7,1 : "
                "des nombres de 1 à 120 séparés par des virgules."
            )
        )


class Campaign(models.Model):
    """A framework version × a school year × a scope (an académie, or one of its départements)."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="campaigns")
    school_year = models.CharField(_("année scolaire"), max_length=9, validators=[validate_school_year])
    academy = models.ForeignKey(Academy, on_delete=models.PROTECT, related_name="campaigns")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns"
    )
    school_group = models.CharField(_("écoles concernées"), max_length=20, choices=SchoolGroup.choices)
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminder_days = models.CharField(
        _("relances (jours avant la clôture)"), max_length=60, blank=True, default=DEFAULT_REMINDER_DAYS,
        validators=[validate_reminder_days],
    )  # fmt: skip
    # When the close's snapshot was taken (lifecycle.close_campaign): the figures read then.
    frozen_at = models.DateTimeField(_("figée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("campagne")
        verbose_name_plural = _("campagnes")
        ordering = ["-school_year", "framework__title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="campaign_closes_after_opening",
                violation_error_message=_("La clôture doit suivre l’ouverture."),
            )
        ]

    def __str__(self):
        return f"{self.framework.title} — {self.school_year}"

    def get_absolute_url(self):
        return reverse("assessments:campaign", args=[self.pk])

    @property
    def scope(self):
        return self.department or self.academy

    def state(self, today):
        if today < self.opens_on:
            return CampaignState.ANNOUNCED
        return CampaignState.OPEN if today <= self.closes_on else CampaignState.CLOSED

    @property
    def state_today(self):
        return self.state(timezone.localdate())

    @property
    def reminder_words(self):
        """« 21, 7 et 1 »: the schedule as a sentence says it."""
        days = [str(d) for d in self.reminder_schedule]
        if len(days) < 2:
            return "".join(days)
        return gettext("%(first)s et %(last)s") % {"first": ", ".join(days[:-1]), "last": days[-1]}

    @property
    def reminder_schedule(self):
        """The days before the close when reminders go out, largest first."""
        return sorted({int(p) for p in self.reminder_days.split(",") if p.strip()}, reverse=True)

    def concerned_schools(self):
        schools = School.objects.filter(kind__in=GROUP_KINDS[self.school_group])
        if self.department_id:
            return schools.filter(department_id=self.department_id)
        return schools.filter(department__academy_id=self.academy_id)

    def taken(self):
        """The positionings this campaign's schools already have in another campaign of the
        same framework version and school year."""
        return Assessment.objects.filter(
            campaign__framework_id=self.framework_id,
            campaign__school_year=self.school_year,
            school__in=self.concerned_schools(),
        ).exclude(campaign_id=self.pk)

    def holders(self):
        """The campaigns that hold them (clean() refuses this one while there are any)."""
        return Campaign.objects.filter(pk__in=self.taken().values("campaign_id")).select_related(
            "framework", "academy", "department"
        )

    def clean(self):
        """A school has one positioning per framework version and school year: a second
        campaign over the same schools (the académie's over a département's, or opened twice
        by mistake) would count them twice in every figure and ask them to answer twice."""
        if not (self.framework_id and self.school_year and self.academy_id and self.school_group):
            return  # the fields' own errors come first
        count = self.taken().values("school").distinct().count()
        if count:
            others = self.holders()
            raise ValidationError(
                ngettext(
                    "Une école n’a qu’un positionnement par version de référentiel et par année "
                    "scolaire : %(count)s école de ce périmètre en a déjà un, dans la campagne "
                    "%(campaigns)s. Suivez cette campagne, ou choisissez un autre périmètre ou "
                    "d’autres écoles.",
                    "Une école n’a qu’un positionnement par version de référentiel et par année "
                    "scolaire : %(count)s écoles de ce périmètre en ont déjà un, dans la campagne "
                    "%(campaigns)s. Suivez cette campagne, ou choisissez un autre périmètre ou "
                    "d’autres écoles.",
                    count,
                )
                % {
                    "count": count,
                    "campaigns": ", ".join(f"« {other} » ({other.scope})" for other in others),
                }
            )


class AssessmentStatus(models.TextChoices):
    DRAFT = "brouillon", _("en cours")
    SUBMITTED = "soumis", _("soumis")


class Assessment(models.Model):
    """One school's positioning in one campaign (the collective answer)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assessments")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="assessments")
    status = models.CharField(_("état"), max_length=10, choices=AssessmentStatus.choices, default="brouillon")
    revision = models.PositiveSmallIntegerField(_("révision"), default=1)
    # Kept up to date on every save: participation pages count without reading answers.
    answered_count = models.PositiveIntegerField(_("critères renseignés"), default=0)
    started_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("repris de"),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(_("rouvert le"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # After the close: answerable again until this day included (lifecycle.reopen_late).
    late_until = models.DateField(_("rouvert après la clôture jusqu’au"), null=True, blank=True)
    # Its state word when the campaign closed: participation « at the close » stays what it was.
    stage_at_close = models.CharField(
        _("état à la clôture"), max_length=12, choices=Stage.choices, blank=True
    )

    class Meta:
        verbose_name = _("positionnement")
        verbose_name_plural = _("positionnements")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "school"],
                name="assessment_one_per_school_and_campaign",
                violation_error_message=_("Cette école a déjà un positionnement pour cette campagne."),
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="assessment_campaign_status")]

    def __str__(self):
        return f"{self.school} — {self.campaign}"

    def get_absolute_url(self):
        return reverse("assessments:detail", args=[self.pk])

    @property
    def stage(self):
        """Its state word, a `Stage`: non commencé, en cours or soumis (stages.py)."""
        return stage_of(submitted=self.status == AssessmentStatus.SUBMITTED, answered=self.answered_count)

    # The former name of `stage`, for code written before it: the same value.
    participation = stage

    @property
    def stage_label(self):
        """The word for where it stands, the same on every page: non commencé, en cours, soumis."""
        if self.participation == "not_started":
            return gettext("non commencé")
        return self.get_status_display()

    @property
    def life_notice(self):
        """(DSFR alert type, text) saying when this positioning can be answered, or
        None while its campaign is simply open (every assessment page shows it)."""
        today = timezone.localdate()
        state = self.campaign.state(today)
        if state == CampaignState.ANNOUNCED:
            return "info", gettext(
                "Campagne annoncée : elle ouvre le %(opens)s et se clôt le %(closes)s. "
                "Les réponses seront possibles à l’ouverture."
            ) % {
                "opens": f"{self.campaign.opens_on:%d/%m/%Y}",
                "closes": f"{self.campaign.closes_on:%d/%m/%Y}",
            }
        if state == CampaignState.CLOSED and self.answerable(today):
            return "warning", gettext(
                "Campagne close le %(closes)s : ce positionnement est rouvert jusqu’au %(until)s inclus. "
                "Les réponses données sont marquées tardives."
            ) % {"closes": f"{self.campaign.closes_on:%d/%m/%Y}", "until": f"{self.late_until:%d/%m/%Y}"}
        if state == CampaignState.CLOSED:
            return "info", gettext(
                "Campagne close le %(closes)s : ce positionnement est en lecture seule pour tous. "
                "L’administrateur de l’académie peut le rouvrir quelques jours."
            ) % {"closes": f"{self.campaign.closes_on:%d/%m/%Y}"}
        return None

    def answerable(self, today):
        """Open to answers today: its campaign is open, or it was reopened after the close."""
        state = self.campaign.state(today)
        if state == CampaignState.OPEN:
            return True
        return state == CampaignState.CLOSED and self.late_until is not None and today <= self.late_until


class Answer(models.Model):
    """The collective answer to one criterion. No row means « non renseigné »."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(
        _("réponse"), max_length=15, choices=AnswerValue.choices, default="non_renseigne"
    )
    comment = models.TextField(_("commentaire"), blank=True)
    evidence_url = models.URLField(_("lien vers une preuve"), max_length=500, blank=True)
    # Incremented on every change; a save must name the version it was made over.
    version = models.PositiveIntegerField(_("version"), default=0)
    # Taken from last campaign's answers and not yet confirmed by anyone.
    carried_over = models.BooleanField(_("repris de l’an dernier"), default=False)
    # Where a carried answer comes from (carrying.py): campaign, framework, source criteria
    # with their answers and link types, rule. None for answers given here.
    carried_origin = models.JSONField(_("origine de la reprise"), null=True, blank=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="answer_one_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion.code} : {self.get_value_display()}"


class AnswerChange(models.Model):
    """The history of a criterion's answer: who changed what, when, from which value to which."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveSmallIntegerField(_("révision"))
    old_value = models.CharField(_("ancienne réponse"), max_length=15, choices=AnswerValue.choices)
    new_value = models.CharField(_("nouvelle réponse"), max_length=15, choices=AnswerValue.choices)
    old_comment = models.TextField(_("ancien commentaire"), blank=True)
    new_comment = models.TextField(_("nouveau commentaire"), blank=True)
    old_evidence_url = models.URLField(_("ancien lien"), max_length=500, blank=True)
    new_evidence_url = models.URLField(_("nouveau lien"), max_length=500, blank=True)
    source = models.CharField(_("origine"), max_length=20, default="web")
    # Given after the campaign's close, while the school was reopened (lifecycle.reopen_late).
    late = models.BooleanField(_("réponse tardive"), default=False)
    changed_at = models.DateTimeField(_("le"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("modification de réponse")
        verbose_name_plural = _("modifications de réponses")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["assessment", "criterion"], name="change_assessment_criterion")]

    def __str__(self):
        return f"{self.criterion.code} : {self.old_value} → {self.new_value}"


class SubmittedRevision(models.Model):
    """A submitted revision, frozen: it stays readable after the assessment is reopened."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="submitted_revisions")
    number = models.PositiveSmallIntegerField(_("révision"))
    # {criterion code: {"value", "comment", "evidence_url"}} as submitted.
    answers = models.JSONField(_("réponses"))
    submitted_at = models.DateTimeField(_("soumise le"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("révision soumise")
        verbose_name_plural = _("révisions soumises")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="submitted_revision_unique_number")
        ]

    def __str__(self):
        return f"{self.assessment} — révision {self.number}"


class Contribution(models.Model):
    """One member's own positioning, which the head and the référent weigh."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="contributions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contributions")
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("contribution individuelle")
        verbose_name_plural = _("contributions individuelles")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="contribution_one_per_member")
        ]

    def __str__(self):
        return f"{self.user} — {self.assessment}"


class ContributionAnswer(models.Model):
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("réponse"), max_length=15, choices=AnswerValue.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    # As Answer.version: a member's own answer saved from two pages never overwrites silently.
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("réponse individuelle")
        verbose_name_plural = _("réponses individuelles")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "criterion"], name="contribution_answer_unique")
        ]

    def __str__(self):
        return f"{self.criterion.code} : {self.get_value_display()}"


# The aggregate tables live in their own module; imported here so that Django registers them.
from .aggregate_models import AssessmentSummary, CriterionTally, DomainTally, StageTally  # noqa: E402, F401
from .lifecycle_models import (  # noqa: E402, F401
    CampaignReminder,
    ClosedCriterionTally,
    ClosedDomainTally,
    ClosedStageTally,
    ClosedSummary,
)

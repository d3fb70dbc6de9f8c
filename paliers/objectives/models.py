"""SMART objectives: what a school sets out to do to reach the next level, who pilots it,
when it is due, how it goes (points de situation) and how it ended.

An objective targets a domain (or one of its components) and a level of a framework
version: frameworks never change once loaded, so the target keeps its meaning.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from paliers.frameworks.models import Component, Criterion, Domain, Framework, Level
from paliers.schools.models import School
from paliers.schools.words import school_words

# Help for each SMART criterion, written for Paliers from the NumEA guide's Annexe 1.
SMART_CRITERIA = (
    (
        "smart_specific",
        _("Spécifique et simple"),
        _(
            "L’objectif dit précisément ce qui sera fait, en termes clairs que toute l’équipe "
            "comprend de la même façon. Trop général, il ne serait jamais atteint."
        ),
    ),
    (
        "smart_measurable",
        _("Mesurable"),
        _(
            "On sait quel chiffre ou quel constat dira qu’il est atteint (un nombre de classes, "
            "un taux d’usage, un document publié), pour suivre la progression et ajuster."
        ),
    ),
    (
        "smart_ambitious",
        _("Ambitieux et acceptable"),
        _(
            "Il mobilise l’équipe tout en restant à sa portée : assez ambitieux pour engager, "
            "assez concret pour voir l’évolution."
        ),
    ),
    (
        "smart_realistic",
        _("Réaliste"),
        _(
            "Il tient compte du contexte : les personnes concernées sont "
            "impliquées, le temps, le matériel et les moyens financiers sont disponibles."
        ),
    ),
    (
        "smart_time_bound",
        _("Temporel"),
        _("Il a une échéance et des étapes datées, pour suivre le calendrier et éviter les dérives."),
    ),
)


class CheckpointState(models.TextChoices):
    # « engagé » means committed everywhere in Paliers (an objectif engagé has a pilot and a
    # due date), so the work not begun is « non commencé »; the stored value stays.
    NOT_STARTED = "non_engage", _("non commencé")
    IN_PROGRESS = "en_cours", _("en cours")
    DONE = "acheve", _("achevé")


class ObjectiveStatus(models.TextChoices):
    """The one word for where an objective stands: its badge, the échéancier's filter and
    column, the PDF. A committed objective follows its latest point de situation."""

    DRAFT = "brouillon", _("brouillon")
    COMMITTED = "engage", _("engagé")  # committed, no point de situation yet
    NOT_STARTED = CheckpointState.NOT_STARTED.value, CheckpointState.NOT_STARTED.label
    IN_PROGRESS = CheckpointState.IN_PROGRESS.value, CheckpointState.IN_PROGRESS.label
    DONE = CheckpointState.DONE.value, _("achevé, à clôturer")
    NOT_ACHIEVED = "non_atteint", _("non atteint")
    ACHIEVED = "atteint", _("atteint")


# The refusals of a day to come, whole sentences: %(today)s is the latest day allowed.
CLOSING_IN_FUTURE = _("La date de clôture ne peut pas être à venir : au plus tard aujourd’hui, %(today)s.")
CHECKPOINT_IN_FUTURE = _(
    "La date d’un point de situation ne peut pas être à venir : au plus tard aujourd’hui, %(today)s."
)


def future_date_fault(day, today, message):
    """A point de situation or a closing tells what happened: never a day to come.
    `message`: CLOSING_IN_FUTURE or CHECKPOINT_IN_FUTURE."""
    if day and day > today:
        return message % {"today": f"{today:%d/%m/%Y}"}
    return None


class ObjectiveQuerySet(models.QuerySet):
    def open(self):
        """Not closed: no outcome recorded yet."""
        return self.filter(achieved__isnull=True)

    def committed(self):
        """Open and no longer a draft: what reminders and the radar's targets follow."""
        return self.open().filter(is_draft=False)

    def overdue(self, today=None):
        return self.committed().filter(due_on__lt=today or timezone.localdate())


class Objective(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="objectives")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+", verbose_name=_("domaine"))
    component = models.ForeignKey(
        Component, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("composante"),
    )  # fmt: skip
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, related_name="+", verbose_name=_("niveau visé")
    )
    criteria = models.ManyToManyField(
        Criterion, blank=True, related_name="+", verbose_name=_("critères visés")
    )
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("descriptif"), blank=True)
    smart_specific = models.BooleanField(_("spécifique et simple"), default=False)
    smart_measurable = models.BooleanField(_("mesurable"), default=False)
    smart_ambitious = models.BooleanField(_("ambitieux et acceptable"), default=False)
    smart_realistic = models.BooleanField(_("réaliste"), default=False)
    smart_time_bound = models.BooleanField(_("temporel"), default=False)
    # The pilot is a member of the school with an account, or a name typed in.
    pilot = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("pilote"),
    )  # fmt: skip
    pilot_name = models.CharField(_("pilote (nom saisi)"), max_length=150, blank=True)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    # A draft may lack its pilot and due date; it is neither reminded nor shown as a target.
    is_draft = models.BooleanField(_("brouillon"), default=True)
    achieved = models.BooleanField(_("objectif atteint"), null=True, blank=True)
    closed_on = models.DateField(_("clôturé le"), null=True, blank=True)
    observations = models.TextField(_("observations"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("objectif SMART")
        verbose_name_plural = _("objectifs SMART")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(achieved__isnull=True, closed_on__isnull=True)
                | models.Q(achieved__isnull=False, closed_on__isnull=False),
                name="objective_outcome_has_its_date",
                violation_error_message=_("Un objectif clôturé a un résultat et une date."),
            ),
            models.CheckConstraint(
                condition=models.Q(is_draft=True) | (models.Q(due_on__isnull=False)),
                name="objective_committed_has_due_date",
                violation_error_message=_("Un objectif engagé a une échéance."),
            ),
        ]
        indexes = [models.Index(fields=["school", "due_on"], name="objective_school_due")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("objectives:detail", args=[self.pk])

    def clean(self):
        self._clean_dates(timezone.localdate())
        if self.domain_id and self.framework_id and self.domain.framework_id != self.framework_id:
            raise ValidationError({"domain": _("Ce domaine n’appartient pas au référentiel de l’objectif.")})
        if self.component_id and self.component.domain_id != self.domain_id:
            raise ValidationError({"component": _("Cette composante n’appartient pas au domaine choisi.")})
        if self.level_id and self.framework_id and self.level.framework_id != self.framework_id:
            raise ValidationError({"level": _("Ce niveau n’appartient pas au référentiel de l’objectif.")})
        if not self.is_draft:
            missing = {}
            if not self.due_on:
                missing["due_on"] = _("Indiquez l’échéance de l’objectif.")
            if not self.pilot_id and not self.pilot_name.strip():
                missing["pilot"] = _("Indiquez le pilote : un membre %(of_the)s ou un nom.") % {
                    "of_the": school_words(self.school).of_the
                }
            if missing:
                raise ValidationError(missing)

    def _clean_dates(self, today):
        """A committed objective is not due in the past at the moment it is committed (or
        its due date moved); one that became overdue stays editable as it is."""
        faults = {}
        if not self.is_draft and self.due_on and self.due_on < today:
            before = (
                Objective.objects.filter(pk=self.pk).values("is_draft", "due_on").first() if self.pk else None
            )
            if not before or before["is_draft"] or before["due_on"] != self.due_on:
                faults["due_on"] = _(
                    "L’échéance d’un objectif engagé ne peut pas être passée : choisissez "
                    "aujourd’hui (%(today)s) ou plus tard, ou gardez l’objectif en brouillon."
                ) % {"today": f"{today:%d/%m/%Y}"}
        closing = future_date_fault(self.closed_on, today, CLOSING_IN_FUTURE)
        if closing:
            faults["closed_on"] = closing
        if faults:
            raise ValidationError(faults)

    @property
    def target(self):
        return self.component or self.domain

    @property
    def pilot_label(self):
        return str(self.pilot) if self.pilot_id else self.pilot_name

    @property
    def smart_checklist(self):
        """[(field, label, help, ticked)] in S, M, A, R, T order."""
        return [(name, label, help, getattr(self, name)) for name, label, help in SMART_CRITERIA]

    @property
    def smart_count(self):
        return sum(getattr(self, name) for name, _, _ in SMART_CRITERIA)

    @property
    def is_closed(self):
        return self.achieved is not None

    def is_overdue(self, today=None):
        return (
            not self.is_draft
            and not self.is_closed
            and self.due_on is not None
            and self.due_on < (today or timezone.localdate())
        )

    @property
    def overdue(self):
        return self.is_overdue()

    def latest_checkpoints(self, count=2):
        """The last points de situation, newest first (the NumEA table shows two)."""
        return sorted(self.checkpoints.all(), key=lambda c: (c.date, c.pk), reverse=True)[:count]

    @property
    def state(self):
        """The state of the latest point de situation, by date (non commencé when there is none)."""
        latest = self.latest_checkpoints(1)
        return latest[0].state if latest else CheckpointState.NOT_STARTED

    @property
    def status(self):
        """ObjectiveStatus: closed → its outcome; draft; committed → its latest point de situation."""
        if self.is_closed:
            return ObjectiveStatus.ACHIEVED if self.achieved else ObjectiveStatus.NOT_ACHIEVED
        if self.is_draft:
            return ObjectiveStatus.DRAFT
        latest = self.latest_checkpoints(1)
        return ObjectiveStatus(latest[0].state) if latest else ObjectiveStatus.COMMITTED

    @property
    def status_label(self):
        return self.status.label


class Checkpoint(models.Model):
    """A point de situation: on that date, where the objective stood."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="checkpoints")
    date = models.DateField(_("date"))
    state = models.CharField(_("état"), max_length=10, choices=CheckpointState.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("point de situation")
        verbose_name_plural = _("points de situation")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} : {self.get_state_display()}"

    def clean(self):
        fault = future_date_fault(self.date, timezone.localdate(), CHECKPOINT_IN_FUTURE)
        if fault:
            raise ValidationError({"date": fault})


class Reminder(models.Model):
    """A reminder e-mailed about an objective, at most one per objective, person and day."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField(_("envoyé le"))

    class Meta:
        verbose_name = _("rappel")
        verbose_name_plural = _("rappels")
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "recipient", "sent_on"], name="reminder_once_per_day"
            )
        ]

    def __str__(self):
        return f"{self.objective} → {self.recipient} ({self.sent_on:%d/%m/%Y})"

"""Accompaniment: a school asks its district animator for support on a domain, the animator
records what they do, and both keep the school's multi-year plan d'accompagnement et de
formation (the needs identified are computed, see needs.py; the actions planned are stored).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from paliers.assessments.models import validate_school_year
from paliers.frameworks.models import Domain
from paliers.schools.models import School

# Pre-rentrée trainings at the end of August belong to the school year they prepare.
SCHOOL_YEAR_STARTS = (8, 15)  # (month, day)


def school_year_of(day):
    """The school year a date falls in: 2026-03-10 → « 2025-2026 »."""
    first = day.year if (day.month, day.day) >= SCHOOL_YEAR_STARTS else day.year - 1
    return f"{first}-{first + 1}"


class RequestStatus(models.TextChoices):
    OPEN = "ouverte", _("ouverte")
    TAKEN = "prise_en_charge", _("prise en charge")
    CLOSED = "close", _("close")


class SupportRequest(models.Model):
    """A school asks its district animator for support on one domain of a framework."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="support_requests")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+", verbose_name=_("domaine"))
    message = models.TextField(_("message"))
    status = models.CharField(
        _("état"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    # Not auto_now_add: the demonstration data dates its requests in the past.
    created_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("demandée par"),
    )  # fmt: skip
    taken_at = models.DateTimeField(_("prise en charge le"), null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("prise en charge par"),
    )  # fmt: skip
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("close par"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("demande d’accompagnement")
        verbose_name_plural = _("demandes d’accompagnement")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"], name="support_request_school_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RequestStatus.CLOSED, closed_at__isnull=False)
                | (~Q(status=RequestStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="support_request_closed_has_its_date",
                violation_error_message=_("Une demande close a sa date de clôture, et elle seule."),
            )
        ]

    def __str__(self):
        return f"{self.school} — {self.domain} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("accompaniment:request", args=[self.school.uai, self.pk])

    @property
    def is_closed(self):
        return self.status == RequestStatus.CLOSED

    def take_over(self, user, when=None):
        """An animator acts on the request: from « ouverte » to « prise en charge » (once)."""
        if self.status == RequestStatus.OPEN:
            self.status, self.taken_at, self.taken_by = RequestStatus.TAKEN, when or timezone.now(), user
            self.save(update_fields=["status", "taken_at", "taken_by"])

    def close(self, user, when=None):
        if not self.is_closed:
            self.status, self.closed_at, self.closed_by = RequestStatus.CLOSED, when or timezone.now(), user
            self.save(update_fields=["status", "closed_at", "closed_by"])


class RecordKind(models.TextChoices):
    VISIT = "visite", _("visite")
    TRAINING = "formation", _("formation")
    DISTRICT_MEETING = "reunion_district", _("réunion de district")
    USERS_CIRCLE = "cercle_usagers", _("cercle d’usagers")


class AccompanimentRecord(models.Model):
    """What an animator did with a school, on a request or not."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="accompaniment_records")
    request = models.ForeignKey(
        SupportRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="records",
        verbose_name=_("demande"),
    )  # fmt: skip
    date = models.DateField(_("date"))
    kind = models.CharField(_("nature"), max_length=20, choices=RecordKind.choices)
    participants = models.TextField(_("participants"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("noté par"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("noté le"), default=timezone.now)

    class Meta:
        verbose_name = _("intervention d’accompagnement")
        verbose_name_plural = _("interventions d’accompagnement")
        ordering = ["-date", "-pk"]

    def __str__(self):
        day = date_format(self.date, "SHORT_DATE_FORMAT")
        return gettext("%(school)s — %(kind)s du %(date)s") % {
            "school": self.school, "kind": self.get_kind_display(), "date": day
        }  # fmt: skip

    def clean(self):
        if self.request_id and self.school_id and self.request.school_id != self.school_id:
            raise ValidationError({"request": _("Cette demande vient d’une autre école.")})


@transaction.atomic
def record_action(school, user, *, request=None, close_request=False, **fields):
    """Record what an animator did: on an open request, that takes it over; with
    `close_request`, the request is then closed."""
    record = AccompanimentRecord(school=school, request=request, recorded_by=user, **fields)
    record.full_clean()
    record.save()
    if request is not None:
        request.take_over(user)
        if close_request:
            request.close(user)
    return record


class PlanStatus(models.TextChoices):
    PLANNED = "prevue", _("prévue")
    ONGOING = "en_cours", _("en cours")
    DONE = "realisee", _("réalisée")
    DROPPED = "abandonnee", _("abandonnée")


class PlanActionQuerySet(models.QuerySet):
    def alive(self):
        """The actions that still answer a need: not abandoned."""
        return self.exclude(status=PlanStatus.DROPPED)


class PlanAction(models.Model):
    """One line of the school's plan d'accompagnement et de formation: a need, the action
    planned for it, when (a school year or a date) and how it stands."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="plan_actions")
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("domaine")
    )
    # The request this action answers, when the need came from one.
    request = models.ForeignKey(
        SupportRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_actions",
        verbose_name=_("demande"),
    )  # fmt: skip
    need = models.TextField(_("besoin identifié"))
    action = models.TextField(_("action prévue"))
    school_year = models.CharField(
        _("année scolaire"), max_length=9, blank=True, validators=[validate_school_year]
    )
    planned_on = models.DateField(_("date prévue"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    created_at = models.DateTimeField(_("ajoutée le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("ajoutée par"),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("modifiée le"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("modifiée par"),
    )  # fmt: skip

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action du plan d’accompagnement")
        verbose_name_plural = _("actions du plan d’accompagnement")
        ordering = ["school_year", "planned_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(school_year="") | Q(planned_on__isnull=False),
                name="plan_action_has_a_time",
                violation_error_message=_("Indiquez une année scolaire ou une date prévue."),
            )
        ]

    def __str__(self):
        return f"{self.school} — {self.action[:60]}"

    def clean(self):
        if self.school_year and self.planned_on and school_year_of(self.planned_on) != self.school_year:
            year = school_year_of(self.planned_on)
            raise ValidationError(
                {
                    "planned_on": _("Cette date tombe dans l’année scolaire %(year)s, pas %(school_year)s.")
                    % {"year": year, "school_year": self.school_year}
                }
            )

    @property
    def year(self):
        """The school year the action belongs to, given or read from its date."""
        return self.school_year or school_year_of(self.planned_on)

    def sort_key(self):
        return (self.year, self.planned_on or datetime.date.max, self.pk)

    def set_status(self, status, user):
        self.status, self.updated_at, self.updated_by = status, timezone.now(), user
        self.full_clean()
        self.save(update_fields=["status", "updated_at", "updated_by"])

"""A campaign's life: prepared (announced), open, closed and frozen; its dates changed,
closed early, extended, removed; one school reopened after the close.

Plain functions for the pages, the API, the tasks and the demo. Every change an académie
administrator makes is written to the security journal (audit) with who and when.
"""

import datetime
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from paliers.audit import journal
from paliers.audit.models import EventKind
from paliers.schools.models import School

from . import aggregates, publication
from .aggregate_models import (
    AssessmentSummary,
    CriterionTally,
    DomainTally,
    FigureArea,
    FigureKind,
    PublishedFigure,
    StageTally,
)
from .lifecycle_models import ClosedCriterionTally, ClosedDomainTally, ClosedStageTally, ClosedSummary
from .models import Assessment, AssessmentStatus, Campaign
from .stages import CampaignState, stage_of

FROZEN = {
    AssessmentSummary: ClosedSummary,
    StageTally: ClosedStageTally,
    DomainTally: ClosedDomainTally,
    CriterionTally: ClosedCriterionTally,
}


class LifeCycleRefused(Exception):
    """A change the campaign's state does not allow; its message says why."""


def school_year_bounds(school_year):
    """1 September of the first year named → 31 August of the second."""
    first = int(school_year[:4])
    return datetime.date(first, 9, 1), datetime.date(first + 1, 8, 31)


def date_faults(school_year, opens_on, closes_on):
    """{field: message} of dates outside the school year, or in the wrong order."""
    start, end = school_year_bounds(school_year)
    faults = {}
    year = {"year": school_year, "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
    if opens_on and not start <= opens_on <= end:
        faults["opens_on"] = (
            _("L’année scolaire %(year)s va du %(start)s au %(end)s : l’ouverture doit y tomber.") % year
        )
    if closes_on and not start <= closes_on <= end:
        faults["closes_on"] = (
            _("L’année scolaire %(year)s va du %(start)s au %(end)s : la clôture doit y tomber.") % year
        )
    if opens_on and closes_on and closes_on < opens_on and "closes_on" not in faults:
        faults["closes_on"] = _("La clôture doit suivre l’ouverture.")
    return faults


def concerned_by_kind(*, academy, department, school_group):
    """[(kind label, number of schools)] the campaign would create a positioning for."""
    campaign = Campaign(academy=academy, department=department, school_group=school_group)
    labels = dict(School._meta.get_field("kind").choices)
    rows = campaign.concerned_schools().values("kind").annotate(n=Count("pk")).order_by("kind")
    return [(labels.get(row["kind"], row["kind"]), row["n"]) for row in rows]


def answered_schools(campaign):
    """How many schools have answered something (or submitted): none, and it may be removed."""
    return campaign.assessments.filter(Q(answered_count__gt=0) | Q(status=AssessmentStatus.SUBMITTED)).count()


def _journal(request, user, campaign, what):
    journal.record(
        EventKind.CAMPAIGN, request=request, user=user, academy=campaign.academy,
        detail=f"{campaign} ({campaign.scope}) : {what}",
    )  # fmt: skip


@transaction.atomic
def change_dates(campaign, opens_on, closes_on, *, user, request=None, today=None):
    """New dates within the school year. A closed campaign whose close moves to today or
    later opens again: its frozen figures are dropped (they are taken again at the new close)."""
    today = today or timezone.localdate()
    faults = date_faults(campaign.school_year, opens_on, closes_on)
    if opens_on > today and opens_on != campaign.opens_on and answered_schools(campaign):
        faults["opens_on"] = _("Des écoles ont déjà répondu : l’ouverture ne peut plus être reportée.")
    if faults:
        raise LifeCycleRefused(faults)
    before = (campaign.opens_on, campaign.closes_on)
    campaign.opens_on, campaign.closes_on = opens_on, closes_on
    campaign.save(update_fields=["opens_on", "closes_on"])
    if campaign.frozen_at and closes_on >= today:
        unfreeze(campaign)
    _journal(
        request, user, campaign,
        f"dates du {before[0]:%d/%m/%Y} au {before[1]:%d/%m/%Y} changées pour du "
        f"{opens_on:%d/%m/%Y} au {closes_on:%d/%m/%Y}",
    )  # fmt: skip
    return campaign


def change_reminders(campaign, reminder_days, *, user, request=None):
    before = campaign.reminder_days or "aucune"
    campaign.reminder_days = reminder_days
    campaign.save(update_fields=["reminder_days"])
    _journal(request, user, campaign, f"relances « {before} » changées pour « {reminder_days or 'aucune'} »")


@transaction.atomic
def close_early(campaign, *, user, request=None, today=None):
    """Close now: yesterday becomes the last day to answer; the figures freeze at once."""
    today = today or timezone.localdate()
    if campaign.state(today) == CampaignState.CLOSED:
        raise LifeCycleRefused({"__all__": _("Cette campagne est déjà close.")})
    if campaign.state(today) == CampaignState.ANNOUNCED:
        raise LifeCycleRefused(
            {"__all__": _("La campagne n’est pas encore ouverte : modifiez ses dates ou supprimez-la.")}
        )
    before = campaign.closes_on
    campaign.closes_on = today - timedelta(days=1)
    campaign.opens_on = min(campaign.opens_on, campaign.closes_on)
    campaign.save(update_fields=["opens_on", "closes_on"])
    _journal(request, user, campaign, f"close par anticipation (clôture prévue le {before:%d/%m/%Y})")
    freeze(campaign)
    return campaign


@transaction.atomic
def remove(campaign, *, user, request=None):
    """Delete a campaign and its positionings, only while no school has answered."""
    if answered_schools(campaign):
        raise LifeCycleRefused(
            {"__all__": _("Des écoles ont déjà répondu à cette campagne : elle ne peut plus être supprimée.")}
        )
    _journal(request, user, campaign, f"supprimée ({campaign.assessments.count()} positionnements vides)")
    campaign.delete()


@transaction.atomic
def reopen_late(assessment, days, *, user, request=None, today=None):
    """Open one school's positioning again after the close, for `days` days (today
    included): its answers are marked late; a submitted one goes back to « en cours »."""
    today = today or timezone.localdate()
    assessment = (
        Assessment.objects.select_for_update().select_related("campaign", "school").get(pk=assessment.pk)
    )
    if assessment.campaign.state(today) != CampaignState.CLOSED:
        raise LifeCycleRefused(
            {"__all__": _("La campagne n’est pas close : le positionnement est déjà ouvert.")}
        )
    assessment.late_until = today + timedelta(days=days - 1)
    fields = ["late_until", "updated_at"]
    if assessment.status == AssessmentStatus.SUBMITTED:
        assessment.status, assessment.revision = AssessmentStatus.DRAFT, assessment.revision + 1
        assessment.reopened_at, assessment.reopened_by = timezone.now(), user
        fields += ["status", "revision", "reopened_at", "reopened_by"]
    assessment.save(update_fields=fields)
    aggregates.refresh(assessment.pk)  # the live figures only: the frozen ones stay
    _journal(
        request, user, assessment.campaign,
        f"positionnement de {assessment.school} ({assessment.school.uai}) rouvert après la clôture "
        f"jusqu’au {assessment.late_until:%d/%m/%Y}",
    )  # fmt: skip
    return assessment


def _copy(model, campaign):
    """The campaign's rows of an aggregate table into its Closed* copy (same columns), in one
    INSERT … SELECT: they never travel through Python (0.3 s of an académie's close)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields if f.attname != "id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(FROZEN[model]._meta.db_table)} ({columns}) "  # noqa: S608 (model names)
            f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE campaign_id = %s",
            [campaign.pk],
        )


def _areas(campaign):
    """The published-figure areas of the campaign's schools: académie, départements, districts."""
    schools = campaign.concerned_schools()
    departments = set(schools.values_list("department_id", flat=True))
    districts = set(
        School.districts.through.objects.filter(school__in=schools).values_list("district_id", flat=True)
    )
    return (
        [(FigureArea.ACADEMY, campaign.academy_id)]
        + [(FigureArea.DEPARTMENT, pk) for pk in sorted(departments)]
        + [(FigureArea.DISTRICT, pk) for pk in sorted(districts)]
    )


@transaction.atomic
def freeze(campaign, now=None):
    """At the close: record each positioning's state, copy the aggregates as they stand and
    publish the comparison averages of kind CLOSE. Once per close (idempotent)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.frozen_at is not None:
        return False
    now = now or timezone.now()
    aggregates._lock(campaign.assessments.all())  # no save slips between the copy and the record
    for submitted in (True, False):
        for answered in (True, False):
            status = (
                Q(status=AssessmentStatus.SUBMITTED) if submitted else ~Q(status=AssessmentStatus.SUBMITTED)
            )
            count = Q(answered_count__gt=0) if answered else Q(answered_count=0)
            campaign.assessments.filter(status, count).update(
                stage_at_close=stage_of(submitted=submitted, answered=answered)
            )
    for model in FROZEN:
        _copy(model, campaign)
    # The areas' members in two reads rather than one per area (85 for an académie: 2.4 s),
    # their figures written in bulk rather than one round trip each.
    members = publication.round_areas(campaign.framework_id, campaign.school_year, campaign.academy_id)
    publication.publish_areas(
        campaign.framework_id, campaign.school_year, members, kind=FigureKind.CLOSE, now=now,
        only=set(_areas(campaign)),
    )  # fmt: skip
    campaign.frozen_at = now
    campaign.save(update_fields=["frozen_at"])
    return True


def unfreeze(campaign):
    """Drop what freeze() wrote (the campaign was extended past today)."""
    for frozen in FROZEN.values():
        frozen.objects.filter(campaign=campaign).delete()
    for area, area_id in _areas(campaign):
        PublishedFigure.objects.filter(
            framework_id=campaign.framework_id, school_year=campaign.school_year, area=area,
            area_id=area_id, kind=FigureKind.CLOSE,
        ).delete()  # fmt: skip
    campaign.assessments.update(stage_at_close="")
    campaign.frozen_at = None
    campaign.save(update_fields=["frozen_at"])


def due_for_freezing(today):
    """Campaigns whose last day has passed and whose figures are not frozen yet."""
    return Campaign.objects.filter(closes_on__lt=today, frozen_at__isnull=True).order_by("pk")


def frozen_ids(campaign_ids):
    return set(
        Campaign.objects.filter(pk__in=campaign_ids, frozen_at__isnull=False).values_list("pk", flat=True)
    )

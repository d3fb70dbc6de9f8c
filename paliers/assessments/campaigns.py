from django.db import transaction

from paliers.core.bulk import MANY_ROWS, refresh_statistics

from . import aggregates
from .models import DEFAULT_REMINDER_DAYS, Assessment, Campaign
from .stages import Stage


@transaction.atomic
def open_campaign(
    *, framework, school_year, academy, school_group, opens_on, closes_on, user, department=None,
    reminder_days=DEFAULT_REMINDER_DAYS,
):  # fmt: skip
    """Open a campaign and create the assessment of every school concerned (all or none)."""
    campaign = Campaign(
        framework=framework,
        school_year=school_year,
        academy=academy,
        department=department,
        school_group=school_group,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=user,
        reminder_days=reminder_days,
    )
    campaign.full_clean()
    campaign.save()
    created = Assessment.objects.bulk_create(
        Assessment(campaign=campaign, school_id=pk)
        for pk in campaign.concerned_schools().values_list("pk", flat=True)
    )
    if len(created) >= MANY_ROWS:  # the campaign's pages are read at once, before autovacuum
        refresh_statistics(Assessment)
    aggregates.rebuild([campaign])  # every school counted « non commencé » from the start
    return campaign


def participation(assessments):
    """Counts of not started, in progress and submitted assessments (keys: `Stage` values)."""
    counts = dict.fromkeys(Stage.values, 0)
    for assessment in assessments:
        counts[assessment.stage] += 1
    counts["total"] = sum(counts.values())
    return counts


def at_close(assessments):
    """Counts per state as recorded at the close (`stage_at_close`), like participation()."""
    counts = dict.fromkeys(Stage.values, 0)
    for stage in assessments.values_list("stage_at_close", flat=True):
        if stage:
            counts[stage] += 1
    counts["total"] = sum(counts.values())
    return counts

"""Background tasks of assessments: rebuilding the observatory's aggregates (idempotent:
a rebuild from the answers gives the same tables however often it runs), and the
campaigns' day: freezing the figures at the close, the reminders (each idempotent: a
frozen campaign's `frozen_at`, a school's « reminded that day » row)."""

import datetime
import logging

from django.contrib.auth import get_user_model

from paliers.workers import processes
from paliers.workers.daily import daily
from paliers.workers.tracking import background_task

from . import aggregates, campaign_reminders, lifecycle
from .lifecycle_models import ReminderCause
from .models import Campaign

log = logging.getLogger(__name__)


@background_task()
def rebuild_aggregates(campaign_ids=None):
    """Rebuild the aggregates of these campaigns (all when None), one transaction per
    campaign: its figures are the old ones or the new, never a half, and saves elsewhere
    wait for one campaign at most. Returns the number of assessments summarised."""
    ids = campaign_ids or list(Campaign.objects.order_by("pk").values_list("pk", flat=True))
    total = 0
    for done, pk in enumerate(ids, start=1):
        total += aggregates.rebuild(Campaign.objects.filter(pk=pk))
        log.info("Agrégats : campagne %s recalculée (%d sur %d).", pk, done, len(ids))
        processes.beat()
    return total


@daily
@background_task()
def campaign_day(day):
    """The campaigns' day: freeze the figures of those closed since, and queue today's
    scheduled reminders, one task per school. Returns the number of tasks queued."""
    today = datetime.date.fromisoformat(day)
    queued = 0
    for pk in lifecycle.due_for_freezing(today).values_list("pk", flat=True):
        freeze_campaign.enqueue(pk)
        queued += 1
    for campaign_id, school_id in campaign_reminders.due_today(today):
        send_campaign_reminder.enqueue(campaign_id, school_id, day, ReminderCause.SCHEDULE)
        queued += 1
    return queued


@background_task()
def freeze_campaign(campaign_id):
    """Take the close's snapshot of a campaign (nothing if taken already)."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    return bool(campaign) and lifecycle.freeze(campaign)


@background_task()
def send_campaign_reminder(campaign_id, school_id, day, cause, user_id=None):
    """One school's reminder of the day; True if an e-mail left."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return campaign_reminders.send_reminder(
        campaign_id, school_id, datetime.date.fromisoformat(day), cause=cause, user=user
    )

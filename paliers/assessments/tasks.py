"""Background tasks of assessments: rebuilding the observatory's aggregates (idempotent:
a rebuild from the answers gives the same tables however often it runs)."""

import logging

from paliers.workers import processes
from paliers.workers.tracking import background_task

from . import aggregates
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

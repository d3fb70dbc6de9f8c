"""The background tasks of reports (django-tasks; see paliers/workers for the rules).

Arguments are plain ids; each task is idempotent (batches.py says how)."""

from django.db import transaction
from django.utils import timezone

from paliers.workers.daily import daily
from paliers.workers.tracking import background_task

from . import batches
from .models import ReportBatch

ASSEMBLY_PRIORITY = 10  # a batch whose reports are all built is not kept behind another one's


@background_task(tracks=ReportBatch)
def build_report_group(batch_id, group):
    """Build the missing PDFs of one group of a batch; the last group queues the assembly."""
    if batches.build_group(batch_id, group):
        with transaction.atomic():  # the flag and the queued task commit together
            if batches.claim_assembly(batch_id):
                assemble_report_zip.enqueue(batch_id)
    return group


@background_task(tracks=ReportBatch, priority=ASSEMBLY_PRIORITY)
def assemble_report_zip(batch_id):
    """Write the batch's ZIP (in the database) from its built PDFs; returns its size."""
    return batches.assemble(batch_id)


def enqueue_groups(batch_id, groups):
    with transaction.atomic():
        for group in groups:
            build_report_group.enqueue(batch_id, group)


@daily
@background_task()
def purge_report_batches(day):
    """Delete the batches ended more than two days ago; returns how many."""
    return batches.purge_expired(timezone.now())

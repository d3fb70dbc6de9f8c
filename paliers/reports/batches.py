"""Batches of PDF reports over a scope: requested, built in parts, assembled, served.

The request fixes the batch's content — the scope's summary, then one report per school,
a `ReportPart` each, in the order of the ZIP — and, once that is committed, queues one
task per small group of parts (`tasks.build_report_group`): as many worker processes as
run share them. Each part is written once (`built_at` set by the UPDATE that stores it),
so a task run again after its worker died, or twice at once, builds what is missing and
duplicates nothing. The task that finds every part built queues the assembly, once (a flag
set in the same transaction as the task row); the assembly writes the ZIP in 1 MB chunks
in one transaction and marks the batch done, or finds it done already.

The ZIP lives in the database, not on a local disk: the web process that serves it may
run on another machine. Batches are deleted `KEEP` after they end.
"""

import math
import tempfile
import zipfile
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from paliers.assessments.models import Assessment
from paliers.assessments.results import framework_structure
from paliers.frameworks.models import Framework
from paliers.workers import processes
from paliers.workers.models import WorkState
from paliers.workers.tracking import finish, start

from .assessment_report import assessment_report_pdf
from .models import ReportBatch, ReportChunk, ReportPart
from .scope import REPORT_RELATED, scope_assessments
from .scope_report import scope_summary_pdf

CHUNK = 1024 * 1024
KEEP = timedelta(days=2)
GROUP_MAX = 10  # reports per task: a few seconds of work, little lost to a killed worker
SUMMARY = "00-synthese.pdf"
UNFINISHED = [WorkState.QUEUED, WorkState.RUNNING]


def zip_name(campaign):
    return f"rapports-{campaign.school_year}-{slugify(campaign.framework.slug)}.zip"


def report_name(uai, school_name):
    return f"{uai}-{slugify(school_name)[:80]}.pdf"


def group_size(reports):
    """Reports per task: up to GROUP_MAX, fewer for a small scope, so that at least about
    eight tasks share its work between the workers."""
    return max(1, min(GROUP_MAX, math.ceil(reports / 8)))


def request_batch(user, campaign, enqueue_groups):
    """The user's unfinished batch for this campaign; their failed one, started again; or
    a new one. Its groups are handed to `enqueue_groups(batch_id, groups)` once committed."""
    purge_expired()
    latest = ReportBatch.objects.filter(campaign=campaign, requested_by=user).order_by("-pk").first()
    if latest is not None and latest.state in UNFINISHED:
        return latest
    if latest is not None and latest.state == WorkState.FAILED:
        with transaction.atomic():
            reopen(latest.pk)
            groups = missing_groups(latest.pk)
            transaction.on_commit(lambda: enqueue_groups(latest.pk, groups))
        return latest
    with transaction.atomic():
        schools = list(scope_assessments(user, campaign).values_list("pk", "school__uai", "school__name"))
        batch = ReportBatch.objects.create(
            campaign=campaign,
            requested_by=user,
            total=len(schools) + 1,
            filename=zip_name(campaign),
            queued_at=timezone.now(),
        )
        size = group_size(len(schools))
        parts = [ReportPart(batch=batch, position=0, group=0, name=SUMMARY)]
        parts += [
            ReportPart(
                batch=batch,
                position=n,
                group=1 + (n - 1) // size,
                assessment_id=pk,
                name=report_name(uai, name),
            )
            for n, (pk, uai, name) in enumerate(schools, start=1)
        ]
        ReportPart.objects.bulk_create(parts, batch_size=500)
        groups = list(range(parts[-1].group + 1))
        batch_id = batch.pk
        transaction.on_commit(lambda: enqueue_groups(batch_id, groups))
    return batch


def reopen(batch_id):
    """A failed batch goes on: queued again, its error forgotten, its built parts kept."""
    ReportBatch.objects.filter(pk=batch_id, state=WorkState.FAILED).update(
        state=WorkState.QUEUED, error="", finished_at=None, queued_at=timezone.now(), assembly_queued=False
    )


def missing_groups(batch_id):
    """The groups with a part not built yet; [0] when none is (its task queues the assembly)."""
    groups = ReportPart.objects.filter(batch_id=batch_id, built_at__isnull=True).values_list(
        "group", flat=True
    )
    return sorted(set(groups)) or [0]


def build_group(batch_id, group):
    """Build the group's parts not built yet; True when, after them, every part of the batch
    is built (the caller then queues the assembly once, `claim_assembly`)."""
    batch = (
        ReportBatch.objects.select_related("campaign__framework", "requested_by").filter(pk=batch_id).first()
    )
    if batch is None or batch.state == WorkState.DONE:
        return False  # deleted, or built by an earlier run
    # A group goes on when another one failed: once the failure is dealt with and the batch
    # started again, only the failed group's reports are left to make.
    start(ReportBatch, batch_id)
    # The reports speak the requester's language, interface and framework texts alike.
    with translation.override(batch.requested_by.language or settings.LANGUAGE_CODE):
        _build_parts(batch, group)
    return not batch.parts.filter(built_at__isnull=True).exists()


def _build_parts(batch, group):
    structure = framework_structure(Framework.objects.get(pk=batch.campaign.framework_id))
    missing = list(batch.parts.filter(group=group, built_at__isnull=True).order_by("position"))
    assessments = Assessment.objects.select_related(*REPORT_RELATED).in_bulk(
        [part.assessment_id for part in missing if part.assessment_id]
    )
    for part in missing:
        if part.assessment_id is None:
            pdf = scope_summary_pdf(
                batch.requested_by,
                batch.campaign,
                assessments=list(batch_assessments(batch)),
                structure=structure,
            )
        else:
            pdf = assessment_report_pdf(
                assessments[part.assessment_id], batch.requested_by, structure=structure
            )
        ReportPart.objects.filter(pk=part.pk, built_at__isnull=True).update(pdf=pdf, built_at=timezone.now())
        processes.beat()


def batch_assessments(batch):
    """The batch's assessments, as the scope summary reads them."""
    return (
        Assessment.objects.filter(pk__in=batch.parts.exclude(assessment=None).values("assessment_id"))
        .select_related(*REPORT_RELATED)
        .prefetch_related("school__districts")
        .order_by("school__sort_name", "school__uai")
    )


def claim_assembly(batch_id):
    """True for exactly one caller: the one that queues the assembly (in its transaction)."""
    return bool(
        ReportBatch.objects.filter(pk=batch_id, assembly_queued=False, state__in=UNFINISHED).update(
            assembly_queued=True
        )
    )


def assemble(batch_id):
    """Write the ZIP of the built parts, in their order; the batch is then done."""
    batch = ReportBatch.objects.filter(pk=batch_id, state__in=UNFINISHED).first()
    if batch is None or batch.parts.filter(built_at__isnull=True).exists():
        return 0
    parts = list(batch.parts.order_by("position").values_list("pk", "name"))
    with tempfile.TemporaryFile(prefix="paliers-rapports-") as spool:
        # PDFs are compressed already: storing them costs no space and saves time.
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, (pk, name) in enumerate(parts, start=1):
                archive.writestr(name, bytes(ReportPart.objects.values_list("pdf", flat=True).get(pk=pk)))
                if done % 50 == 0:
                    processes.beat()
        size = spool.tell()
        spool.seek(0)
        with transaction.atomic():
            if not ReportBatch.objects.select_for_update().filter(pk=batch_id, state__in=UNFINISHED).exists():
                return 0  # assembled meanwhile by another run of this task
            ReportChunk.objects.filter(batch_id=batch_id).delete()
            for number, data in enumerate(iter(lambda: spool.read(CHUNK), b"")):
                ReportChunk.objects.create(batch_id=batch_id, number=number, data=data)
            ReportPart.objects.filter(batch_id=batch_id).update(pdf=None)  # the ZIP holds them now
            finish(ReportBatch, batch_id, size=size, done=len(parts))
    return size


def built_count(batch):
    return batch.parts.filter(built_at__isnull=False).count()


def zip_chunks(batch):
    """The ZIP's bytes, one chunk per query: the whole file is never in memory."""
    numbers = list(batch.chunks.order_by("number").values_list("number", flat=True))
    for number in numbers:
        yield bytes(ReportChunk.objects.values_list("data", flat=True).get(batch=batch, number=number))


def purge_expired(now=None):
    """Delete the batches ended more than KEEP ago (their parts and chunks with them)."""
    now = now or timezone.now()
    return ReportBatch.objects.filter(finished_at__lt=now - KEEP).delete()[0]

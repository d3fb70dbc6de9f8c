"""Batches of PDF reports built in the background: queue, claim, build, store, serve.

A request queues a `ReportJob` and, once that row is committed, starts a daemon thread of
its own process on it; a `paliers run_report_jobs` worker takes up the jobs nobody
started (multi-process deployments turn the threads off). Whoever builds a job first
claims it with one UPDATE that only succeeds on a queued job or on a running one whose
heartbeat stopped (its process died): a job is built by one process at a time, and a dead
one's job is built again rather than lost.

The ZIP is spooled to a local temporary file while it grows, then copied to the database
in chunks of 1 MB: the web process that serves the download may be another one, on
another machine. Jobs are deleted `KEEP` after they end.
"""

import logging
import os
import socket
import tempfile
import threading
import zipfile
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from paliers.assessments.results import framework_structure

from .assessment_report import assessment_report_pdf
from .models import JobState, ReportChunk, ReportJob
from .scope import scope_assessments
from .scope_report import scope_summary_pdf

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
STALE_AFTER = timedelta(minutes=2)  # a report takes about a second: two minutes is a dead worker
HEARTBEAT_EVERY = timedelta(seconds=1)
KEEP = timedelta(days=2)


class Superseded(Exception):
    """Another worker took the job over (this one was thought dead): stop quietly."""


def worker_name():
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def request_job(user, campaign):
    """The user's unfinished job for this campaign, or a new one; the thread starts once
    the row is committed (a thread cannot see an uncommitted row)."""
    purge_expired()
    job = ReportJob.objects.filter(
        campaign=campaign, requested_by=user, state__in=[JobState.QUEUED, JobState.RUNNING]
    ).first()
    if job is None:
        job = ReportJob.objects.create(
            campaign=campaign,
            requested_by=user,
            total=scope_assessments(user, campaign).count(),
            filename=zip_name(campaign),
        )
        if settings.REPORT_JOBS_IN_WEB_PROCESS:
            transaction.on_commit(lambda: start_thread(job.pk))
    return job


def zip_name(campaign):
    return f"rapports-{campaign.school_year}-{slugify(campaign.framework.slug)}.zip"


def needs_worker(job, now=None):
    """Queued for a while without anyone starting it, or running with a silent heartbeat."""
    now = now or timezone.now()
    if job.state == JobState.QUEUED:
        return job.requested_at < now - timedelta(seconds=10)
    return job.state == JobState.RUNNING and (
        job.heartbeat_at is None or job.heartbeat_at < now - STALE_AFTER
    )


def refresh_connection():
    """Drop this thread's connection if it is broken or too old, as Django does between
    requests; never inside a transaction (a caller's, or a test's), which needs it open."""
    if not connection.in_atomic_block:
        close_old_connections()


def start_thread(job_id):
    thread = threading.Thread(target=_run_in_thread, args=(job_id,), name=f"rapports-{job_id}", daemon=True)
    thread.start()
    return thread


def _run_in_thread(job_id):
    try:
        run(job_id, worker_name())
    finally:
        connections.close_all()  # this thread's own connections


def claim(job_id, worker, now=None):
    """Take the job if nobody holds it: True for exactly one of several concurrent callers."""
    now = now or timezone.now()
    claimable = Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    return bool(
        ReportJob.objects.filter(claimable, pk=job_id).update(
            state=JobState.RUNNING, claimed_by=worker, heartbeat_at=now, done=0, error=""
        )
    )


def claim_next(worker):
    """The oldest job anyone may take, claimed; None when there is none."""
    now = timezone.now()
    candidates = ReportJob.objects.filter(
        Q(state=JobState.QUEUED) | Q(state=JobState.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    ).order_by("requested_at", "pk")
    for job_id in candidates.values_list("pk", flat=True)[:20]:
        if claim(job_id, worker, now):
            return job_id
    return None


def run(job_id, worker):
    """Claim the job and build it; False when someone else holds it."""
    if not claim(job_id, worker):
        return False
    build(job_id, worker)
    return True


def _beat(job_id, worker, done):
    """Record progress; a job claimed by someone else since is theirs now."""
    updated = ReportJob.objects.filter(pk=job_id, claimed_by=worker, state=JobState.RUNNING).update(
        done=done, heartbeat_at=timezone.now()
    )
    if not updated:
        raise Superseded


def build(job_id, worker):
    job = ReportJob.objects.select_related("campaign__framework", "requested_by").get(pk=job_id)
    try:
        size = _build_zip(job, worker)
    except Superseded:
        log.info("Lot de rapports %s repris par un autre processus.", job_id)
    except Exception as error:
        log.exception("Lot de rapports %s en échec", job_id)
        # A failed query may have left this thread's connection unusable: a new one
        # records the failure.
        refresh_connection()
        ReportJob.objects.filter(pk=job_id, claimed_by=worker).update(
            state=JobState.FAILED,
            error=f"{type(error).__name__} : {error}"[:2000],
            finished_at=timezone.now(),
        )
    else:
        log.info("Lot de rapports %s terminé : %s octets.", job_id, size)


def _build_zip(job, worker):
    user, campaign = job.requested_by, job.campaign
    assessments = list(scope_assessments(user, campaign))
    ReportJob.objects.filter(pk=job.pk).update(total=len(assessments))
    structure = framework_structure(campaign.framework)
    last_beat = timezone.now()
    with tempfile.TemporaryFile(prefix="paliers-rapports-") as spool:
        # PDFs are compressed already: storing them costs no space and saves time.
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
            archive.writestr(
                "00-synthese.pdf",
                scope_summary_pdf(user, campaign, assessments=assessments, structure=structure),
            )
            for done, assessment in enumerate(assessments, start=1):
                pdf = assessment_report_pdf(assessment, user, structure=structure)
                archive.writestr(report_name(assessment), pdf)
                if done == len(assessments) or timezone.now() - last_beat > HEARTBEAT_EVERY:
                    _beat(job.pk, worker, done)
                    last_beat = timezone.now()
        size = spool.tell()
        spool.seek(0)
        with transaction.atomic():
            if not ReportJob.objects.select_for_update().filter(pk=job.pk, claimed_by=worker).exists():
                raise Superseded
            ReportChunk.objects.filter(job=job).delete()
            for number, data in enumerate(iter(lambda: spool.read(CHUNK), b"")):
                ReportChunk.objects.create(job=job, number=number, data=data)
            ReportJob.objects.filter(pk=job.pk).update(
                state=JobState.DONE, size=size, done=len(assessments), finished_at=timezone.now()
            )
    return size


def report_name(assessment):
    return f"{assessment.school.uai}-{slugify(assessment.school.name)[:80]}.pdf"


def zip_chunks(job):
    """The ZIP's bytes, one chunk per query: the whole file is never in memory."""
    numbers = list(job.chunks.order_by("number").values_list("number", flat=True))
    for number in numbers:
        yield bytes(ReportChunk.objects.values_list("data", flat=True).get(job=job, number=number))


def purge_expired(now=None):
    """Delete the jobs ended more than KEEP ago (and their chunks)."""
    now = now or timezone.now()
    return ReportJob.objects.filter(finished_at__lt=now - KEEP).delete()[0]

"""Downloads over a scope (animators, observers, académie administrators): CSV exports,
and the ZIP of PDF reports built in the background with its progress page."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from paliers.audit.journal import record
from paliers.audit.models import EventKind
from paliers.core.csv import csv_lines

from .csv_export import criterion_rows, domain_rows
from .downloads import streamed_attachment
from .jobs import needs_worker, request_job, start_thread, zip_chunks
from .models import JobState, ReportJob
from .scope import get_campaign_for_scope, scope_assessments

CSV = "text/csv; charset=utf-8"


def _csv(request, pk, rows_for, suffix):
    campaign = get_campaign_for_scope(request.user, pk)
    header, rows = rows_for(campaign, scope_assessments(request.user, campaign))
    name = f"paliers-{campaign.school_year}-{campaign.framework.slug}-{suffix}.csv"
    record(EventKind.EXPORT, request=request, detail=f"{name} ({campaign})")
    return streamed_attachment(csv_lines(header, rows), name, CSV)


@require_safe
def scope_domains_csv(request, pk):
    return _csv(request, pk, domain_rows, "domaines")


@require_safe
def scope_criteria_csv(request, pk):
    return _csv(request, pk, criterion_rows, "criteres")


@require_POST
def scope_zip(request, pk):
    campaign = get_campaign_for_scope(request.user, pk)
    job = request_job(request.user, campaign)
    record(
        EventKind.EXPORT, request=request, detail=f"rapports PDF de la campagne {campaign} (lot n° {job.pk})"
    )
    return redirect(job.get_absolute_url())


@require_safe
def job_detail(request, pk):
    job = get_object_or_404(
        ReportJob.objects.select_related("campaign__framework"), pk=pk, requested_by=request.user
    )
    if settings.REPORT_JOBS_IN_WEB_PROCESS and needs_worker(job):
        # The process that started it died (or never started it): take it up here.
        start_thread(job.pk)
    template = "reports/_job_progress.html" if request.htmx else "reports/job_detail.html"
    return render(request, template, {"job": job})


@require_safe
def job_download(request, pk):
    job = get_object_or_404(ReportJob, pk=pk, requested_by=request.user)
    if job.state != JobState.DONE:
        raise Http404("Ce lot de rapports n’est pas prêt.")
    return streamed_attachment(zip_chunks(job), job.filename, "application/zip", job.size)

"""Downloads over a scope (animators, observers, académie administrators): CSV exports,
and the ZIP of PDF reports built by background tasks, with its progress page."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from paliers.audit.journal import record
from paliers.audit.models import EventKind
from paliers.core.csv import csv_lines
from paliers.workers.models import WorkState

from .batches import built_count, request_batch, zip_chunks
from .csv_export import criterion_rows, domain_rows
from .downloads import streamed_attachment
from .models import ReportBatch
from .scope import get_campaign_for_scope, scope_assessments
from .tasks import enqueue_groups

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
    batch = request_batch(request.user, campaign, enqueue_groups)
    record(
        EventKind.EXPORT,
        request=request,
        detail=f"rapports PDF de la campagne {campaign} (lot n° {batch.pk})",
    )
    return redirect(batch.get_absolute_url())


@require_safe
def job_detail(request, pk):
    batch = get_object_or_404(
        ReportBatch.objects.select_related("campaign__framework"), pk=pk, requested_by=request.user
    )
    if not batch.finished:
        batch.done = built_count(batch)
    template = "reports/_job_progress.html" if request.htmx else "reports/job_detail.html"
    return render(request, template, {"job": batch})


@require_safe
def job_download(request, pk):
    batch = get_object_or_404(ReportBatch, pk=pk, requested_by=request.user)
    if batch.state != WorkState.DONE:
        raise Http404("Ce lot de rapports n’est pas prêt.")
    return streamed_attachment(zip_chunks(batch), batch.filename, "application/zip", batch.size)

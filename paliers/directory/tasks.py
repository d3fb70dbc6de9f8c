"""The directory's background tasks: applying an uploaded file after its preview, and
forgetting old uploads. Plain-id arguments; each task is idempotent (see below)."""

import io
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from paliers.audit.journal import record
from paliers.audit.models import EventKind
from paliers.schools.importing import PlanChanged, import_schools
from paliers.workers.daily import daily
from paliers.workers.models import WorkState
from paliers.workers.tracking import Progress, background_task, finish, start

from .models import PendingImport

KEEP = timedelta(days=2)


class NotApplied(Exception):
    """Rows are rejected now that were not at the preview: nothing was imported."""

    message = "Des lignes sont rejetées : rien n’a été importé. Corrigez le fichier et déposez-le de nouveau."


def queue_import(pending_id):
    """Queue the application once (a second click changes nothing), after the commit."""
    with transaction.atomic():
        queued = PendingImport.objects.filter(pk=pending_id, queued_at=None).update(
            queued_at=timezone.now(), state=WorkState.QUEUED
        )
        if queued:
            transaction.on_commit(partial(apply_directory_import.enqueue, pending_id))
    return bool(queued)


@background_task(tracks=PendingImport)
def apply_directory_import(pending_id):
    """Apply the file in one transaction (all or nothing), with the académies its uploader
    administers now. Running it again after it was applied does nothing; after a worker
    died in the middle, the transaction was rolled back and the import starts over."""
    from .imports import academy_codes, summary_context  # the views queue this task: no cycle

    pending = PendingImport.objects.select_related("uploaded_by").filter(pk=pending_id).first()
    if pending is None or not start(PendingImport, pending_id):
        return None
    # The summary's words in the uploader's language, as the preview was (the fingerprint
    # compares data, not words).
    with translation.override(pending.uploaded_by.language or settings.LANGUAGE_CODE):
        try:
            summary = import_schools(
                io.BytesIO(bytes(pending.content)),
                skip_invalid=pending.skip_invalid,
                academies=academy_codes(pending.uploaded_by),
                expected=pending.summary.get("fingerprint", ""),
                progress=Progress(PendingImport, pending_id),
            )
        except PlanChanged as changed:
            # Applying writes what the preview showed, or nothing: back to a preview, the new one.
            PendingImport.objects.filter(pk=pending_id).update(
                summary=summary_context(changed.summary) | {"plan_changed": True},
                queued_at=None, state=WorkState.QUEUED, done=0, total=0, started_at=None,
            )  # fmt: skip
            return None
        result = summary_context(summary)
    PendingImport.objects.filter(pk=pending_id).update(result=result)
    if not summary.applied:
        raise NotApplied
    record(
        EventKind.IMPORT,
        user=pending.uploaded_by,
        detail=f"annuaire {pending.filename} : {summary.as_json()}"[:500],
    )
    finish(PendingImport, pending_id, content=b"")  # the file is not needed any more
    return summary.as_json()


@daily
@background_task()
def purge_pending_imports(day):
    """Forget the uploads (previewed or applied) older than two days; returns how many."""
    return PendingImport.objects.filter(uploaded_at__lt=timezone.now() - KEEP).delete()[0]

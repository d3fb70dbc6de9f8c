"""Importing a filled spreadsheet: upload and check, preview, apply (head and référent of
the school, on a draft assessment)."""

from datetime import timedelta

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from paliers.assessments.access import ANSWER_ROLES, get_assessment_for
from paliers.assessments.answering import AnswersInvalid, NotEditable
from paliers.assessments.models import AssessmentStatus

from .forms import SpreadsheetForm
from .models import SpreadsheetImport
from .xlsx_import import Change, SpreadsheetInvalid, apply_import, plan_import

KEEP_PREVIEW = timedelta(days=1)


def import_upload(request, pk):
    assessment = get_assessment_for(request.user, pk, need=ANSWER_ROLES)
    submitted = assessment.status == AssessmentStatus.SUBMITTED
    form = SpreadsheetForm(request.POST or None, request.FILES or None)
    faults, status = [], 200
    if request.method == "POST" and submitted:
        status = 409
    elif request.method == "POST" and not form.is_valid():
        status = 422
    elif request.method == "POST":
        upload = form.cleaned_data["file"]
        try:
            plan = plan_import(assessment, upload.read())
        except SpreadsheetInvalid as error:
            faults, status = error.faults, 422
        else:
            # One preview per person and assessment (an older one would only confuse), and
            # none left behind for more than a day.
            SpreadsheetImport.objects.filter(
                Q(assessment=assessment, uploaded_by=request.user)
                | Q(uploaded_at__lt=timezone.now() - KEEP_PREVIEW)
            ).delete()
            pending = SpreadsheetImport.objects.create(
                assessment=assessment,
                filename=upload.name[:255],
                changes=plan.as_json(),
                unchanged=plan.unchanged,
                kept=plan.kept,
                uploaded_by=request.user,
            )
            return redirect(pending.get_absolute_url())
    return render(
        request,
        "reports/import_upload.html",
        {"assessment": assessment, "form": form, "faults": faults, "submitted": submitted},
        status=status,
    )


def import_review(request, pk, import_pk):
    assessment = get_assessment_for(request.user, pk, need=ANSWER_ROLES)
    pending = get_object_or_404(
        SpreadsheetImport, pk=import_pk, assessment=assessment, uploaded_by=request.user
    )
    if request.method == "POST":
        try:
            apply_import(assessment, pending.changes, request.user)
        except (AnswersInvalid, NotEditable) as error:
            messages.error(
                request,
                _(
                    "Rien n’a été importé : le positionnement a changé depuis l’aperçu "
                    "(%(error)s). Déposez de nouveau le fichier pour voir un aperçu à jour."
                )
                % {"error": error},
            )
            pending.delete()
            return redirect("reports:import_upload", assessment.pk)
        pending.delete()
        messages.success(
            request,
            ngettext(
                "Tableur importé : %(count)s réponse modifiée.",
                "Tableur importé : %(count)s réponses modifiées.",
                len(pending.changes),
            )
            % {"count": len(pending.changes)},
        )
        return redirect(assessment.get_absolute_url())
    return render(
        request,
        "reports/import_review.html",
        {
            "assessment": assessment,
            "pending": pending,
            "changes": [Change(**change) for change in pending.changes],
            "overwritten": sum(change["changed_since_export"] for change in pending.changes),
        },
    )

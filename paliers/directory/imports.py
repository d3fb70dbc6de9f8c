"""Importing the ministry's directory from the app: upload, preview (dry run), then the
application by a background task (directory/tasks.py), whose progress the page follows."""

import io

from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django_htmx.http import HttpResponseClientRedirect
from dsfr.forms import DsfrBaseForm

from paliers.accounts.access import role_required
from paliers.accounts.models import Role
from paliers.accounts.scoping import administered_academies
from paliers.schools.importing import ImportFileError, import_schools

from .models import PendingImport
from .tasks import queue_import

MAX_UPLOAD_BYTES = settings.MAX_UPLOAD_BYTES  # the national annuaire is about 40 MB


class UploadForm(DsfrBaseForm):
    file = forms.FileField(
        label=_("Fichier de l’annuaire (CSV)"),
        help_text=_(
            "Export de l’« Annuaire de l’éducation » ou d’« Adresse et géolocalisation des établissements », "
            "tel que téléchargé ou réenregistré par un tableur. 60 Mo au plus."
        ),
    )
    skip_invalid = forms.BooleanField(
        label=_("Importer les lignes valides même si d’autres sont rejetées"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Fichier trop volumineux : 60 Mo au plus."))
        return upload


def academy_codes(user):
    """The académies whose schools this administrator may import (None: all, for a superuser)."""
    if user.is_superuser:
        return None
    return [academy.code for academy in administered_academies(user)]


@role_required(Role.ACADEMY_ADMIN)
def import_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        try:
            summary = import_schools(
                io.BytesIO(content),
                dry_run=True,
                skip_invalid=form.cleaned_data["skip_invalid"],
                academies=academy_codes(request.user),
            )
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            pending = PendingImport.objects.create(
                content=content,
                filename=form.cleaned_data["file"].name[:255],
                skip_invalid=form.cleaned_data["skip_invalid"],
                summary=summary_context(summary),
                uploaded_by=request.user,
            )
            return redirect("directory:import_review", pending.pk)
    return render(request, "directory/import_upload.html", {"form": form})


@role_required(Role.ACADEMY_ADMIN)
def import_review(request, pk):
    """The preview, then (once applied) the task's progress and its outcome."""
    pending = get_object_or_404(PendingImport, pk=pk, uploaded_by=request.user)
    if request.method == "POST":
        queue_import(pending.pk)
        return redirect("directory:import_review", pending.pk)
    if pending.previewed_only:
        if request.htmx:  # the directory changed before applying: the new preview, whole page
            return HttpResponseClientRedirect(request.path)
        return render(
            request, "directory/import_review.html", {"pending": pending, "summary": pending.summary}
        )
    template = "directory/_import_progress.html" if request.htmx else "directory/import_progress.html"
    return render(request, template, {"pending": pending, "summary": pending.result})


def summary_context(summary):
    return {
        **summary.as_json(),
        "format_name": summary.format_name,
        "merges": summary.merges,
        "notes": summary.notes,
        "preview": summary.preview,
        "preview_left_out": summary.preview_left_out,
        "places": summary.places,
        "fingerprint": summary.fingerprint,
        "applied": summary.applied,
    }

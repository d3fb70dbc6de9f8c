"""Writing frameworks in the app (académie administrators): the workbook template, upload
and check, preview as the public page shows it, load; and crosswalks in YAML."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from paliers.accounts.access import role_required
from paliers.accounts.models import Role
from paliers.audit.journal import record
from paliers.audit.models import EventKind
from paliers.core.xlsx import SpreadsheetInvalid
from paliers.frameworks.comparability import correspondences, loaded_domains, spec_domains
from paliers.frameworks.crosswalk_loading import STATUS_LABELS, load_documents
from paliers.frameworks.crosswalks import parse_crosswalk_text
from paliers.frameworks.grid import spec_grid
from paliers.frameworks.loading import CREATED, TRANSLATED, UNCHANGED
from paliers.frameworks.models import CarryRule, Crosswalk, Framework, LinkType
from paliers.frameworks.validation import FrameworkInvalid
from paliers.frameworks.views import XLSX
from paliers.frameworks.workbook import framework_workbook
from paliers.frameworks.workbook_reading import read_framework_workbook

from .forms import NEW_FRAMEWORK, NEW_VERSION, CrosswalkForm, LoadForm, WorkbookForm
from .models import PendingFramework
from .pending import contents, keep, load, situation

authors = role_required(Role.ACADEMY_ADMIN)


@require_safe
@authors
def template(request):
    response = HttpResponse(framework_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="modele-referentiel-paliers.xlsx"'
    return response


@authors
def upload(request):
    form = WorkbookForm(request.POST or None, request.FILES or None)
    faults, status = [], 200
    if request.method == "POST" and not form.is_valid():
        status = 422
    elif request.method == "POST":
        upload = form.cleaned_data["file"]
        try:
            spec, crosswalk = read_framework_workbook(upload.read())
        except SpreadsheetInvalid as invalid:
            faults, status = invalid.faults, 422
        else:
            return redirect(keep(upload.name, spec, crosswalk, request.user).get_absolute_url())
    return render(request, "authoring/upload.html", {"form": form, "faults": faults}, status=status)


def _as_framework(spec):
    """An unsaved Framework, for the templates of the public page."""
    return Framework(
        slug=spec.slug,
        version=spec.version,
        title=spec.title,
        audience=spec.audience,
        level_name=spec.level_name,
        source_publisher=spec.source.publisher,
        source_document=spec.source.document,
        source_date=spec.source.date,
        source_url=spec.source.url,
    )


def _crosswalk_preview(spec, crosswalk):
    if crosswalk is None:
        return None
    source = Framework.objects.get(slug=crosswalk.source_slug, version=crosswalk.source_version)
    types = dict(LinkType.choices)
    source_texts = dict(source.criteria.values_list("code", "text"))
    target_texts = {c.code: c.text for c in spec.all_criteria()}
    return {
        "source": source,
        "rule": dict(CarryRule.choices)[crosswalk.rule],
        "replaces": Crosswalk.objects.filter(
            source=source, target__slug=spec.slug, target__version=spec.version
        ).exists(),
        "links": [
            (link.source, source_texts[link.source], types[link.type], link.target, target_texts[link.target])
            for link in crosswalk.links
        ],
        "correspondences": correspondences(
            [(link.source, link.target, link.type) for link in crosswalk.links],
            loaded_domains(source),
            spec_domains(spec),
        ),
    }


FRAMEWORK_STATUS_WORDS = {
    CREATED: "chargé",
    TRANSLATED: "traductions mises à jour, textes français inchangés",
    UNCHANGED: "inchangé (déjà chargé à l’identique)",
}


def _journal_load(request, filename, framework, crosswalk):
    """Frameworks and crosswalks are shared by every académie: who loaded what is kept."""
    said = []
    if framework is not None:
        spec = framework.spec
        said.append(
            f"référentiel {spec.slug} version {spec.version} : {FRAMEWORK_STATUS_WORDS[framework.status]}"
        )
    if crosswalk is not None:
        with translation.override("fr"):  # the journal is written in French
            said.append(f"{crosswalk.spec.key} : {STATUS_LABELS[crosswalk.status]}")
    record(EventKind.FRAMEWORK, request=request, detail=f"{' ; '.join(said)} (fichier {filename})")


@authors
def preview(request, pk):
    pending = get_object_or_404(PendingFramework, pk=pk, uploaded_by=request.user)
    spec, crosswalk = contents(pending)
    known = situation(spec)
    initial = {"mode": NEW_VERSION if known.versions else NEW_FRAMEWORK, "base": spec.slug, "slug": spec.slug}
    form = LoadForm(request.POST or None, spec=spec, initial=initial)
    errors, status = [], 200
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                loaded = load(pending, form.cleaned_data["chosen_slug"])
                _journal_load(request, pending.filename, loaded.framework, loaded.crosswalk)
        except FrameworkInvalid as invalid:
            errors, status = invalid.errors, 409
        else:
            framework = loaded.framework.framework
            said = _("Référentiel chargé : %(title)s, version %(version)s.") % {
                "title": framework.title,
                "version": framework.version,
            }
            if loaded.framework.status == TRANSLATED:
                said = _(
                    "Référentiel déjà chargé : ses traductions sont mises à jour, "
                    "ses textes français inchangés."
                )
            elif loaded.framework.status != CREATED:
                said = _("Référentiel déjà chargé à l’identique : inchangé.")
            if loaded.crosswalk:
                said += f" {STATUS_LABELS[loaded.crosswalk.status].capitalize()}."
            messages.success(request, said)
            return redirect(framework.get_absolute_url())
    elif request.method == "POST":
        status = 422
    levels, sections = spec_grid(spec)
    return render(
        request,
        "authoring/preview.html",
        {
            "pending": pending,
            "form": form,
            "errors": errors,
            "situation": known,
            "framework": _as_framework(spec),
            "coverage": spec.coverage(),
            "levels": levels,
            "sections": sections,
            "crosswalk": _crosswalk_preview(spec, crosswalk),
            "criteria_count": len(spec.all_criteria()),
        },
        status=status,
    )


@authors
def crosswalk_upload(request):
    form = CrosswalkForm(request.POST or None, request.FILES or None)
    faults, status = [], 200
    if request.method == "POST" and not form.is_valid():
        status = 422
    elif request.method == "POST":
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8")
            with transaction.atomic():
                [result] = load_documents([parse_crosswalk_text(text, upload.name)])
                _journal_load(request, upload.name, None, result)
        except UnicodeDecodeError:
            faults, status = (
                [_("%(name)s : le fichier n’est pas encodé en UTF-8.") % {"name": upload.name}],
                422,
            )
        except FrameworkInvalid as invalid:
            faults, status = invalid.errors, 422
        else:
            said = _("%(status)s : %(crosswalk)s.") % {
                "status": STATUS_LABELS[result.status].capitalize(),
                "crosswalk": result.spec.key,
            }
            messages.success(request, said)
            return redirect(result.crosswalk.get_absolute_url())
    return render(request, "authoring/crosswalk_upload.html", {"form": form, "faults": faults}, status=status)

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from . import crosswalks as crosswalk_data
from .comparability import crosswalk_correspondences
from .crosswalk_loading import crosswalk_spec_from_db
from .grid import framework_grid
from .loading import export_yaml, spec_from_db
from .models import Crosswalk, Framework
from .workbook import framework_workbook

# Frameworks are public documents: anyone may read them, signed in or not.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@login_not_required
def framework_list(request):
    frameworks = Framework.objects.annotate(
        domain_count=Count("domains", distinct=True),
        criterion_count=Count("criteria", distinct=True),
    ).order_by("title", "version")
    return render(request, "frameworks/list.html", {"frameworks": frameworks})


def _crosswalks(queryset):
    counted = queryset.select_related("source", "target").annotate(link_count=Count("links"))
    return counted.order_by("-loaded_at")


@require_safe
@login_not_required
def framework_detail(request, slug, version):
    framework = get_object_or_404(Framework, slug=slug, version=version)
    levels, sections = framework_grid(framework)
    return render(
        request,
        "frameworks/detail.html",
        {
            "framework": framework,
            "coverage": spec_from_db(framework).coverage(),
            "levels": levels,
            "sections": sections,
            "crosswalks_in": _crosswalks(framework.crosswalks_in),
            "crosswalks_out": _crosswalks(framework.crosswalks_out),
        },
    )


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_not_required
def framework_yaml(request, slug, version):
    framework = get_object_or_404(Framework, slug=slug, version=version)
    return _download(export_yaml(framework), "application/yaml; charset=utf-8", f"{slug}-{version}.yaml")


@require_safe
@login_not_required
def framework_xlsx(request, slug, version):
    """The framework as the workbook it could have been written in, with the latest crosswalk
    leading to it (the others download as YAML from its page)."""
    framework = get_object_or_404(Framework, slug=slug, version=version)
    incoming = framework.crosswalks_in.select_related("source", "target").order_by("-loaded_at").first()
    content = framework_workbook(spec_from_db(framework), incoming and crosswalk_spec_from_db(incoming))
    return _download(content, XLSX, f"{slug}-{version}.xlsx")


def _crosswalk(slug, version, source_slug, source_version):
    return get_object_or_404(
        Crosswalk.objects.select_related("source", "target"),
        target__slug=slug,
        target__version=version,
        source__slug=source_slug,
        source__version=source_version,
    )


@require_safe
@login_not_required
def crosswalk_detail(request, slug, version, source_slug, source_version):
    crosswalk = _crosswalk(slug, version, source_slug, source_version)
    return render(
        request,
        "frameworks/crosswalk.html",
        {
            "crosswalk": crosswalk,
            "links": crosswalk.links.select_related("source", "target"),
            "correspondences": crosswalk_correspondences(crosswalk),
            # The domains behind the correspondences' titles, by code: french_lang marks them.
            "target_domains": {d.code: d for d in crosswalk.target.domains.all()},
            "source_domains": {d.code: d for d in crosswalk.source.domains.all()},
        },
    )


@require_safe
@login_not_required
def crosswalk_yaml(request, slug, version, source_slug, source_version):
    crosswalk = _crosswalk(slug, version, source_slug, source_version)
    document = crosswalk_data.export_yaml(crosswalk_spec_from_db(crosswalk))
    filename = f"{source_slug}-{source_version}-vers-{slug}-{version}.yaml"
    return _download(document, "application/yaml; charset=utf-8", filename)

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .grid import framework_grid
from .loading import export_yaml
from .models import Framework

# Frameworks are public documents: anyone may read them, signed in or not.


@require_safe
@login_not_required
def framework_list(request):
    frameworks = Framework.objects.annotate(
        domain_count=Count("domains", distinct=True),
        criterion_count=Count("criteria", distinct=True),
    ).order_by("title", "version")
    return render(request, "frameworks/list.html", {"frameworks": frameworks})


@require_safe
@login_not_required
def framework_detail(request, slug, version):
    framework = get_object_or_404(Framework, slug=slug, version=version)
    levels, sections = framework_grid(framework)
    return render(
        request,
        "frameworks/detail.html",
        {"framework": framework, "levels": levels, "sections": sections},
    )


@require_safe
@login_not_required
def framework_yaml(request, slug, version):
    framework = get_object_or_404(Framework, slug=slug, version=version)
    response = HttpResponse(export_yaml(framework), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{version}.yaml"'
    return response

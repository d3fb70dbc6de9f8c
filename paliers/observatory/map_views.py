"""The observatory's maps: France by département, and a département's (or a district's)
schools as points. For the observatory's readers (views._check), over their scope."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from paliers.schools.models import Department

from . import map_pages, maps
from .selection import area_for, observatory_schools, rounds_for
from .views import _check

SCHOOLS_PER_PAGE = 50


def _form(request):
    _check(request)
    rounds = rounds_for(request.user)
    form = map_pages.MapForm(request.GET if rounds else None, user=request.user, rounds=rounds)
    chosen = form.selection()
    context = {"form": form, "query": request.GET.urlencode(), "selection": chosen, "source": maps.SOURCE}
    return form, chosen, context


def _status(form, chosen):
    return 200 if chosen or not form.errors else 400


@require_safe
def france(request):
    form, chosen, context = _form(request)
    if chosen is not None:
        round, filters = chosen
        indicator = form.indicator(round)
        rows, svg, what = map_pages.national(round, filters, area_for(request.user, filters), indicator)
        context.update(round=round, rows=rows, what=what, map=mark_safe(svg))  # noqa: S308 (maps.py escapes)
    return render(request, "observatory/map.html", context, status=_status(form, chosen))


@require_safe
def department(request, code):
    _check(request)
    found = Department.objects.filter(code=code).first()
    seen = observatory_schools(request.user)
    if found is None or not seen.filter(department=found).exists():
        raise Http404("Ce département n’est pas dans votre périmètre.")
    form, chosen, context = _form(request)
    context["department"] = found
    if chosen is not None:
        round, filters = chosen
        indicator = form.indicator(round)
        points, legend = map_pages.department_points(round, filters, found, seen, indicator)
        svg = map_pages.department_svg(found, points, legend, round, indicator)
        listed = [p for p in points if p.seen]
        page = Paginator(listed, SCHOOLS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            round=round,
            indicator=indicator,
            map=mark_safe(svg) if svg else None,  # noqa: S308 (maps.py escapes every text)
            page=page,
            placed=sum(1 for p in points if p.school.latitude is not None and p.school.longitude is not None),
            outside=sum(1 for p in points if not p.seen),
            unplaced=sum(1 for p in listed if p.school.latitude is None or p.school.longitude is None),
            legend=legend,
        )
    return render(request, "observatory/map_department.html", context, status=_status(form, chosen))

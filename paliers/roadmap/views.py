"""The roadmap's pages: the list, a roadmap with its axes and indicators, an indicator with
its values, and the editor (roadmap, axes, indicators, values by hand) for the académie."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from paliers.accounts.scoping import administered_academies
from paliers.core.charts import bar_chart
from paliers.observatory.pages import safe

from . import indicators as values
from .access import (
    check_role,
    get_axis_for,
    get_indicator_for,
    get_roadmap_for,
    may_change,
    may_create,
    readable_roadmaps,
)
from .forms import AxisForm, IndicatorForm, RoadmapForm, ValueForm
from .loading import LIMOGES, RoadmapInvalid, load_roadmap
from .models import Indicator, Measure

EDIT = ["GET", "HEAD", "POST"]


@require_safe
def roadmap_list(request):
    check_role(request.user)
    roadmaps = readable_roadmaps(request.user).select_related("academy")
    return render(
        request,
        "roadmap/list.html",
        {"roadmaps": roadmaps, "can_create": may_create(request.user)},
    )


def _posted(request):
    """The POSTed data (an empty POST included: it must be refused), or None for a GET."""
    return request.POST if request.method == "POST" else None


def _form_page(request, template, form, context, saved):
    """Render `form`; on a valid POST, save and redirect to `saved(object)`."""
    if request.method == "POST" and form.is_valid():
        found = form.save()
        messages.success(request, _("Les modifications sont enregistrées."))
        return redirect(saved(found))
    return render(request, template, {"form": form, **context}, status=422 if form.errors else 200)


@require_http_methods(EDIT)
def roadmap_create(request):
    check_role(request.user)
    if not may_create(request.user):
        raise PermissionDenied(_("Seule la délégation académique au numérique écrit la feuille de route."))
    form = RoadmapForm(_posted(request), academies=administered_academies(request.user))
    form.instance.created_by = form.instance.updated_by = request.user
    return _form_page(request, "roadmap/roadmap_form.html", form, {}, lambda r: r.get_absolute_url())


@require_http_methods(EDIT)
def roadmap_edit(request, pk):
    roadmap = get_roadmap_for(request.user, pk, change=True)
    form = RoadmapForm(_posted(request), instance=roadmap, academies=administered_academies(request.user))
    form.instance.updated_by = request.user
    context = {"roadmap": roadmap}
    return _form_page(request, "roadmap/roadmap_form.html", form, context, lambda r: r.get_absolute_url())


@require_POST
def load_example(request):
    """The Limoges 2016-2017 roadmap, loaded into the administrator's académie."""
    check_role(request.user)
    academy = administered_academies(request.user).order_by("pk").first()
    if academy is None:
        raise PermissionDenied(_("Seule la délégation académique au numérique écrit la feuille de route."))
    try:
        roadmap, created = load_roadmap(LIMOGES, academy, request.user)
    except RoadmapInvalid as invalid:  # e.g. the frameworks it computes from are not loaded
        messages.error(
            request, _("L’exemple n’a pas pu être chargé : %(errors)s") % {"errors": " ".join(invalid.errors)}
        )
        return redirect("roadmap:list")
    if created:
        messages.success(
            request, _("L’exemple de Limoges 2016-2017 est chargé : adaptez-le à votre académie.")
        )
    else:
        messages.info(request, _("Cet exemple est déjà chargé dans votre académie."))
    return redirect(roadmap)


@require_safe
def roadmap_detail(request, pk):
    roadmap = get_roadmap_for(request.user, pk)
    axes = roadmap.axes.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.select_related("framework", "criterion", "domain"))
    )
    rows = []
    for axis in axes:
        for indicator in axis.indicators.all():
            indicator.axis = axis
            axis.roadmap = roadmap
            latest = values.latest(indicator, request.user)
            indicator.latest, indicator.latest_text = latest, values.shown(latest, indicator)
            indicator.target_text = values.shown_number(indicator.target, indicator)
        rows.append(axis)
    return render(
        request,
        "roadmap/detail.html",
        {"roadmap": roadmap, "axes": rows, "can_change": may_change(request.user, roadmap)},
    )


@require_http_methods(EDIT)
def roadmap_delete(request, pk):
    roadmap = get_roadmap_for(request.user, pk, change=True)
    if request.method == "POST":
        roadmap.delete()
        messages.success(request, _("La feuille de route est supprimée."))
        return redirect("roadmap:list")
    return render(request, "roadmap/delete.html", {"thing": roadmap, "back": roadmap.get_absolute_url()})


@require_http_methods(EDIT)
def axis_create(request, pk):
    roadmap = get_roadmap_for(request.user, pk, change=True)
    form = AxisForm(_posted(request), initial={"position": roadmap.axes.count()})
    form.instance.roadmap = roadmap
    return _form_page(
        request, "roadmap/axis_form.html", form, {"roadmap": roadmap}, lambda a: a.get_absolute_url()
    )


@require_http_methods(EDIT)
def axis_edit(request, pk):
    axis = get_axis_for(request.user, pk, change=True)
    form = AxisForm(_posted(request), instance=axis)
    context = {"roadmap": axis.roadmap, "axis": axis}
    return _form_page(request, "roadmap/axis_form.html", form, context, lambda a: a.get_absolute_url())


@require_http_methods(EDIT)
def axis_delete(request, pk):
    axis = get_axis_for(request.user, pk, change=True)
    if request.method == "POST":
        axis.delete()
        messages.success(request, _("L’axe et ses indicateurs sont supprimés."))
        return redirect(axis.roadmap)
    return render(request, "roadmap/delete.html", {"thing": axis, "back": axis.get_absolute_url()})


@require_http_methods(EDIT)
def indicator_create(request, pk):
    axis = get_axis_for(request.user, pk, change=True)
    form = IndicatorForm(
        _posted(request), roadmap=axis.roadmap, initial={"position": axis.indicators.count()}
    )
    form.instance.axis = axis
    context = {"roadmap": axis.roadmap, "axis": axis}
    return _form_page(request, "roadmap/indicator_form.html", form, context, lambda i: i.get_absolute_url())


@require_http_methods(EDIT)
def indicator_edit(request, pk):
    indicator = get_indicator_for(request.user, pk, change=True)
    form = IndicatorForm(_posted(request), instance=indicator, roadmap=indicator.axis.roadmap)
    context = {"roadmap": indicator.axis.roadmap, "axis": indicator.axis, "indicator": indicator}
    return _form_page(request, "roadmap/indicator_form.html", form, context, lambda i: i.get_absolute_url())


@require_http_methods(EDIT)
def indicator_delete(request, pk):
    indicator = get_indicator_for(request.user, pk, change=True)
    if request.method == "POST":
        indicator.delete()
        messages.success(request, _("L’indicateur est supprimé."))
        return redirect(indicator.axis.get_absolute_url())
    return render(request, "roadmap/delete.html", {"thing": indicator, "back": indicator.get_absolute_url()})


@require_safe
def indicator_detail(request, pk):
    indicator = get_indicator_for(request.user, pk)
    return _indicator_page(request, indicator, ValueForm())


@require_POST
def value_add(request, pk):
    indicator = get_indicator_for(request.user, pk, change=True)
    if indicator.computed:
        raise PermissionDenied(_("Les valeurs d’un indicateur calculé viennent des données."))
    form = ValueForm(request.POST)
    form.instance.indicator, form.instance.recorded_by = indicator, request.user
    if form.is_valid():
        form.save()
        messages.success(request, _("La valeur est enregistrée."))
        return redirect(indicator)
    return _indicator_page(request, indicator, form, status=422)


def _indicator_page(request, indicator, form, status=200):
    points = values.points(indicator, request.user)
    share = indicator.measure == Measure.SHARE
    labels = [p.label for p in points] + ([_("Cible")] if indicator.target is not None else [])
    numbers = [p.value for p in points] + ([float(indicator.target)] if indicator.target is not None else [])
    top = max([n for n in numbers if n is not None] or [1])
    chart = bar_chart(
        labels,
        numbers,
        title=_("%(indicator)s : valeurs et cible") % {"indicator": indicator.title},
        max_value=100 if share else top,
        value_format=lambda v: values.shown_number(v, indicator),
        chart_id="indicator",
    )
    return render(
        request,
        "roadmap/indicator.html",
        {
            "indicator": indicator,
            "roadmap": indicator.axis.roadmap,
            "points": [(p, values.shown(p, indicator)) for p in points],
            "target_text": values.shown_number(indicator.target, indicator),
            "chart": safe(chart) if points else None,
            "form": form,
            "can_change": may_change(request.user, indicator.axis.roadmap),
        },
        status=status,
    )

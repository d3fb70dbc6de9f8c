"""The observatory's pages: overview, heatmap, evolution, a school beside its averages,
the CSV of each figure and the open-data file. For académie staff, animators and observers
(403 for the others), over their scope."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from paliers.assessments.benchmark import averages
from paliers.assessments.models import Assessment, Campaign
from paliers.core.csv import csv_response
from paliers.schools.models import search_condition

from . import exports, figures, pages
from .figures import TOTAL, Reader, domains_of, grouping, levels_of
from .forms import ObservatoryForm
from .selection import area_for, may_read, observatory_schools, rounds_for

FOUND_PER_PAGE = 50


def _check(request):
    if not may_read(request.user):
        raise PermissionDenied(
            _("L’observatoire est réservé à l’académie, aux animateurs et aux observateurs.")
        )


def _selected(request):
    """The form, and (round, filters, area) when the query string is valid."""
    _check(request)
    rounds = rounds_for(request.user)
    form = ObservatoryForm(request.GET if rounds else None, user=request.user, rounds=rounds)
    chosen = form.selection()
    if chosen is None:
        return form, None
    round, filters = chosen
    return form, (round, filters, area_for(request.user, filters))


def _page(request, template, build):
    form, selection = _selected(request)
    context = {"form": form, "query": request.GET.urlencode(), "selection": selection}
    if selection is not None:
        context.update(build(*selection))
        context["as_of"] = as_of(selection[0])
    return render(request, template, context, status=200 if selection or not form.errors else 400)


def as_of(round):
    """What the figures of the round are: frozen at the close (with its date), or live."""
    campaigns = Campaign.objects.filter(pk__in=round.campaign_ids())
    frozen = [c for c in campaigns if c.frozen_at is not None]
    if campaigns and len(frozen) == len(campaigns):
        return {"frozen": True, "closes_on": max(c.closes_on for c in frozen)}
    return {"frozen": False}


@require_safe
def overview(request):
    def build(round, filters, area):
        reader, by = Reader(round, area, filters), grouping(area, filters)
        levels, domains = levels_of(round.framework), domains_of(round.framework)
        participation = {**reader.participation(by), **reader.participation()}
        participation_rows = pages.participation_table(by, participation)
        distribution = pages.distribution_table(domains, levels, reader.domains().get(TOTAL, {}))
        criteria = reader.criteria()
        most, least = pages.most_and_least_met(criteria)
        return {
            "round": round,
            "by": by,
            "levels": levels,
            # The rows behind the levels' labels and the distribution's titles: french_lang.
            "level_elements": {lv.number: lv for lv in round.framework.levels.all()},
            "domains": domains,
            "participation_rows": participation_rows,
            "participation_chart": pages.participation_chart(participation_rows),
            "distribution_rows": distribution,
            "distribution_chart": pages.distribution_chart(distribution, levels),
            "criteria_tables": (
                ("most-met", _("Les %(count)s critères les plus atteints") % {"count": len(most)}, most),
                ("least-met", _("Les %(count)s critères les moins atteints") % {"count": len(least)}, least),
            ),
            "counted": criteria[0].schools if criteria else 0,
        }

    return _page(request, "observatory/overview.html", build)


@require_safe
def heatmap(request):
    def build(round, filters, area):
        by, domains = grouping(area, filters), domains_of(round.framework)
        rows = pages.heatmap_table(by, domains, Reader(round, area, filters).domains(by))
        max_level = len(levels_of(round.framework)) - 1
        return {
            "round": round,
            "by": by,
            "domains": domains,
            "rows": rows,
            "chart": pages.heatmap_chart(rows, domains, max_level, by),
        }

    return _page(request, "observatory/heatmap.html", build)


@require_safe
def evolution(request):
    def build(round, filters, area):
        domains = domains_of(round.framework)
        years = figures.evolution(round, area, filters)
        rows = pages.evolution_table(domains, years)
        max_level = len(levels_of(round.framework)) - 1
        return {
            "round": round,
            "domains": domains,
            "rows": rows,
            "chart": pages.evolution_chart(rows, domains, max_level),
            "crosswalks": figures.crosswalks_into(round),
            "domain_elements": {d.code: d for d in domains},  # the correspondences' domains: french_lang
            "not_comparable": pages.NOT_COMPARABLE,
        }

    return _page(request, "observatory/evolution.html", build)


@require_safe
def export(request, figure):
    if figure not in exports.FIGURES:
        raise Http404("Export inconnu.")
    form, selection = _selected(request)
    if selection is None:
        return render(request, "observatory/overview.html", {"form": form}, status=400)
    header, rows, name = exports.FIGURES[figure](*selection)
    return csv_response(name, header, rows)


@require_safe
def open_data(request):
    form, selection = _selected(request)
    if selection is None:
        return render(request, "observatory/overview.html", {"form": form}, status=400)
    round, _, _ = selection
    header, rows = exports.open_data(round, request.user)
    return csv_response(f"observatoire-donnees-ouvertes-{round.school_year}.csv", header, rows)


@require_safe
def school_search(request):
    """« Une école et ses moyennes »: a school of the user's scope found by name, UAI or
    commune. One match opens its page; several are listed; none is said, with the form again."""
    _check(request)
    query = (request.GET.get("q") or request.GET.get("uai") or "").strip()[:100]
    if not query:
        return render(request, "observatory/school_search.html", {"query": ""})
    schools = observatory_schools(request.user)
    exact = schools.filter(uai__iexact=query).first()
    matches = (
        schools.filter(search_condition(query)).select_related("department").order_by("sort_name", "uai")
    )
    page = Paginator(matches, FOUND_PER_PAGE).get_page(request.GET.get("page"))
    if exact is None and page.paginator.count == 1:
        exact = page.object_list[0]
    if exact is not None:
        return redirect("observatory:school", exact.uai)
    return render(request, "observatory/school_search.html", {"query": query, "page": page})


@require_safe
def school(request, uai):
    """A school's positionings beside its district, département and académie."""
    _check(request)
    found = observatory_schools(request.user).select_related("department__academy").filter(uai=uai).first()
    if found is None:  # not a bare 404: the finder, saying what was not found
        context = {"query": "", "missing": uai}
        return render(request, "observatory/school_search.html", context, status=404)
    assessments = (
        Assessment.objects.filter(school=found)
        .select_related("campaign__framework", "summary")
        .order_by("-campaign__school_year", "campaign__framework__title", "-campaign__opens_on", "-pk")
    )
    rows, rounds = [], set()
    for assessment in assessments:
        # One per round (framework version × school year), as the observatory reads them: a
        # school in two campaigns of one round (the same campaign opened twice) shows its
        # latest, not two comparisons that nothing tells apart.
        if (key := (assessment.campaign.framework_id, assessment.campaign.school_year)) in rounds:
            continue
        rounds.add(key)
        domains = domains_of(assessment.campaign.framework)
        summary = getattr(assessment, "summary", None)
        own = {int(pk): score / 1000 for pk, (_, score) in (summary.domains.items() if summary else [])}
        comparison = averages(assessment, request.user)
        chart = pages.benchmark_chart(assessment, domains, own, comparison)
        lines = [pages.DomainScore(d.title, d.code, own.get(d.pk)) for d in domains]
        rows.append({"assessment": assessment, "domains": lines, "comparison": comparison,
                     "chart": chart, "caption_id": f"benchmark-{assessment.pk}-caption",
                     "domain_elements": {d.code: d for d in domains}})  # fmt: skip
    return render(request, "observatory/school.html", {"school": found, "rows": rows})

"""From figures to what the pages and the CSV files show: table rows and charts.

Each figure gives its rows once (`*_table`): the page prints them beside the chart, the CSV
export writes the same rows, so the three never disagree.
"""

from typing import NamedTuple

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paliers.assessments.stages import Stage
from paliers.core.aggregate_charts import heatmap, stacked_bar_chart
from paliers.core.charts import Series, grouped_bar_chart
from paliers.schools.words import school_words

from .figures import TOTAL, group_names

STAGE_LABELS = tuple(Stage.labels)  # in the order of Participation.counts()
MAX_CHART_GROUPS = 40  # beyond, the chart would be taller than useful: the table holds every group
TOP = 5


class DomainScore(NamedTuple):
    """A line of the school-beside-its-averages table (assessments/_comparison_table.html)."""

    title: str
    code: str
    score: float | None


SHORT_AREA = {
    "district": gettext_lazy("District"),
    "department": gettext_lazy("Département"),
    "academy": gettext_lazy("Académie"),
    "similar": gettext_lazy("Écoles semblables"),
}


def safe(svg):
    return mark_safe(svg)  # noqa: S308 (the chart modules escape every text they draw)


def participation_table(by, participation):
    """Rows: name, not started, in progress, submitted, total, share submitted (0..1)."""
    names = group_names(by, [g for g in participation if g != TOTAL])
    groups = sorted((g for g in participation if g != TOTAL), key=lambda g: names.get(g, ""))
    rows = [(names.get(g, "?"), *participation[g].counts(), participation[g].total,
             participation[g].submitted_share) for g in groups]  # fmt: skip
    total = participation.get(TOTAL)
    if total is not None:
        rows.append((_("Ensemble"), *total.counts(), total.total, total.submitted_share))
    return rows


def participation_chart(rows):
    shown = rows if len(rows) <= MAX_CHART_GROUPS + 1 else rows[-1:]
    return safe(
        stacked_bar_chart(
            [row[0] for row in shown],
            STAGE_LABELS,
            [row[1:4] for row in shown],
            _("Participation : positionnements non commencés, en cours et soumis"),
            chart_id="participation",
        )
    )


def distribution_table(domains, levels, figures):
    """Rows: domain title, schools per level reached (0 first), schools, average score."""
    rows = []
    for domain in domains:
        figure = figures.get(domain.pk)
        counts = [figure.levels.get(number, 0) if figure else 0 for number, __ in levels]
        rows.append(
            (domain.title, *counts, figure.schools if figure else 0, figure.average if figure else None)
        )
    return rows


def distribution_chart(rows, levels):
    return safe(
        stacked_bar_chart(
            [row[0] for row in rows],
            [label for __, label in levels],
            [row[1 : 1 + len(levels)] for row in rows],
            _("Répartition des écoles par niveau atteint, domaine par domaine"),
            chart_id="distribution",
        )
    )


def heatmap_table(by, domains, grouped):
    """Rows: group name, average score per domain (None without assessment)."""
    names = group_names(by, list(grouped))
    rows = []
    for group in sorted(grouped, key=lambda g: names.get(g, "")):
        figures = grouped[group]
        rows.append((names.get(group, "?"), *(_average(figures, d.pk) for d in domains)))
    return rows


def _average(figures, domain_id):
    figure = figures.get(domain_id)
    return figure.average if figure else None


def heatmap_chart(rows, domains, max_level, by):
    title = (
        _("Score de progression moyen par district et par domaine")
        if by == "district"
        else _("Score de progression moyen par département et par domaine")
    )
    return safe(
        heatmap(
            [row[0] for row in rows],
            [d.title for d in domains],
            [row[1:] for row in rows],
            title,
            max_value=max_level,
            chart_id="heatmap",
        )
    )


def criteria_rows(figures):
    """Rows: code, text, domain, level, met, in progress, not met, share met."""
    return [
        (f.criterion.code, f.criterion.text, f.criterion.domain.title, f.criterion.level.label,
         f.met, f.in_progress, f.not_met, f.met_share)
        for f in figures
    ]  # fmt: skip


def most_and_least_met(figures):
    ranked = sorted((f for f in figures if f.schools), key=lambda f: (-f.met, f.criterion.code))
    return ranked[:TOP], list(reversed(ranked[-TOP:])) if len(ranked) > TOP else []


NOT_COMPARABLE = gettext_lazy("non comparable")


def evolution_table(domains, years):
    """Rows: school year (and version, for an earlier one), concerned, submitted, share
    submitted, average score per domain — NOT_COMPARABLE where an earlier version's domain
    does not compare. `years`: [(round, Participation, {domain id: DomainFigure}, comparable)]."""
    rows = []
    for r, p, f, comparable in years:
        label = (
            r.school_year
            if comparable is None
            else _("%(year)s (version %(version)s)") % {"year": r.school_year, "version": r.framework.version}
        )
        cells = [
            _average(f, d.pk) if comparable is None or d.pk in comparable else NOT_COMPARABLE for d in domains
        ]
        rows.append((label, p.total, p.submitted, p.submitted_share, *cells))
    return rows


def evolution_chart(rows, domains, max_level):
    series = [
        Series(
            row[0],
            [None if v == NOT_COMPARABLE else v for v in row[4:]],
            "main" if i == len(rows) - 1 else "previous",
        )
        for i, row in enumerate(rows)
    ]
    return safe(
        grouped_bar_chart(
            [d.title for d in domains],
            series,
            _("Score de progression moyen par domaine, campagne après campagne"),
            max_value=max_level,
            chart_id="evolution",
        )
    )


def benchmark_chart(assessment, domains, own, comparison):
    """The school's score per domain beside each average shown."""
    series = [Series(assessment.school.name, [own.get(d.pk) for d in domains], "main")]
    for average in comparison:
        if average.scores:  # short labels: the table beside names each area in full
            label = f"{SHORT_AREA[average.area]} ({school_words(assessment.campaign).count(average.schools)})"
            series.append(Series(label, [average.scores.get(d.code) for d in domains], "average"))
    return safe(
        grouped_bar_chart(
            [d.title for d in domains],
            series,
            _("Score de progression par domaine : %(the)s et les moyennes (%(year)s)")
            % {"the": school_words(assessment.school).the, "year": assessment.campaign.school_year},
            max_value=assessment.campaign.framework.levels.count(),
            chart_id=f"benchmark-{assessment.pk}",
        )
    )

"""What the observatory's maps show: France by département (participation, or a domain's
average score), and a département's schools as points (their state, or a domain's level).

The figures are the observatory's (figures.Reader over the area of selection.py). A point is
a figure over one school: coloured only for whoever sees that school (the small-group rule,
`aggregates.disclosed`: a figure over fewer than 5 schools is shown only to those who see
them all); the others are neutral marks, their place being the directory's public data.
"""

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from django import forms
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from paliers.assessments.aggregate_models import AssessmentSummary, Stage
from paliers.assessments.aggregates import disclosed
from paliers.core.charts import format_decimal, format_percent
from paliers.frameworks.models import Domain
from paliers.frameworks.widgets import FrameworkTextSelect
from paliers.schools.models import Department, School
from paliers.schools.words import school_words

from . import maps
from .figures import Reader, levels_of
from .forms import ObservatoryForm

PARTICIPATION = "participation"
SHARE_BINS = (0.2, 0.4, 0.6, 0.8, 2)  # the upper bounds of the participation map's bins
SCORE_BINS = len(maps.BLUES) - 1
NOT_CONCERNED = "#E5E5E5"
OUTSIDE = "#FFFFFF"
STAGE_FILLS = {
    Stage.NOT_STARTED: maps.BLUES[1],
    Stage.IN_PROGRESS: maps.BLUES[3],
    Stage.SUBMITTED: maps.BLUES[6],
}


class MapForm(ObservatoryForm):
    """The observatory's round and filters, and what the map shows."""

    indicateur = forms.ChoiceField(label=_("Indicateur"), required=False, widget=FrameworkTextSelect)

    def __init__(self, data, *, user, rounds):
        super().__init__(data, user=user, rounds=rounds)
        frameworks = {r.framework.pk for r in rounds}
        domains = Domain.objects.filter(framework__in=frameworks).order_by("framework", "position")
        rows = {d.code: d for d in domains}
        label = gettext("%(domain)s : score moyen")
        choices = [(code, label % {"domain": d.title}) for code, d in rows.items()]
        self.fields["indicateur"].choices = [(PARTICIPATION, _("Participation")), *choices]
        self.fields["indicateur"].widget.rows = rows

    def indicator(self, round):
        """PARTICIPATION or a Domain of the round's framework (another framework's: participation)."""
        code = self.cleaned_data.get("indicateur") or PARTICIPATION
        if code == PARTICIPATION:
            return PARTICIPATION
        return Domain.objects.filter(framework=round.framework, code=code).first() or PARTICIPATION


@dataclass
class Row:
    department: Department
    value: float | None
    text: str
    schools: int


def share_labels():
    """The participation map's bins in words: « moins de 20 % », « 20 à 40 % »…"""
    bounds = [round(high * 100) for high in SHARE_BINS[:-1]]
    return [
        gettext("moins de %(high)s %%") % {"high": bounds[0]},
        *(gettext("%(low)s à %(high)s %%") % {"low": low, "high": high} for low, high in pairwise(bounds)),
        gettext("%(low)s %% et plus") % {"low": bounds[-1]},
    ]


def _share_bin(share):
    return next(i for i, high in enumerate(SHARE_BINS) if share < high)


def national(round, filters, area, indicator):
    """(rows [Row], svg, what): France by département over the area."""
    reader = Reader(round, area, filters)
    if area.from_tallies:
        departments = Department.objects.all()
        if area.departments is not None:
            departments = departments.filter(pk__in=area.departments)
    else:
        departments = Department.objects.filter(pk__in=area.schools.values("department_id"))
    departments = list(departments.order_by("code"))
    if indicator == PARTICIPATION:
        figures = reader.participation("department")
        fills = maps.bins_for(len(SHARE_BINS))
        bins = [
            maps.Bin(fill, gettext("Soumis : %(share)s") % {"share": label})
            for fill, label in zip(fills, share_labels(), strict=True)
        ]
        what = gettext("Part des positionnements soumis")
        rows = []
        for department in departments:
            found = figures.get(department.pk)
            share = found.submitted_share if found else None
            text = gettext("aucun positionnement attendu")
            if share is not None:
                text = gettext("%(share)s soumis (%(submitted)s sur %(total)s)") % {
                    "share": format_percent(share),
                    "submitted": found.submitted,
                    "total": found.total,
                }
            rows.append(Row(department, share, text, found.total if found else 0))

        def bin_of(value):
            return bins[_share_bin(value)]
    else:
        figures = reader.domains("department")
        max_level = len(levels_of(round.framework)) - 1
        # Six bins, one per shade of the scale: half-levels on a scale of 3.
        steps = [max_level * step / SCORE_BINS for step in range(SCORE_BINS + 1)]
        fills = maps.bins_for(len(steps) - 1)
        bins = [
            maps.Bin(
                fill,
                gettext("Score de %(low)s à %(high)s")
                % {"low": format_decimal(low), "high": format_decimal(high)},
            )
            for fill, low, high in zip(fills, steps, steps[1:], strict=False)
        ]
        what = gettext("%(domain)s : score de progression moyen") % {"domain": indicator.title}
        rows = []
        for department in departments:
            found = figures.get(department.pk, {}).get(indicator.pk)
            average = found.average if found else None
            text = gettext("aucun positionnement compté")
            if average is not None:
                counted = ngettext("%(n)d positionnement", "%(n)d positionnements", found.schools)
                counted %= {"n": found.schools}
                text = gettext("score moyen %(average)s sur %(max)s (%(counted)s)") % {
                    "average": format_decimal(average),
                    "max": max_level,
                    "counted": counted,
                }
            rows.append(Row(department, average, text, found.schools if found else 0))

        def bin_of(value):
            return bins[min(int(value / max_level * SCORE_BINS), SCORE_BINS - 1)]

    regions = {}
    for row in rows:
        code = maps.map_code(row.department.code)
        sentence = gettext("%(name)s (%(code)s) : %(text)s") % {
            "name": row.department.name,
            "code": code,
            "text": row.text,
        }
        regions[code] = maps.Region(code, sentence, bin_of(row.value) if row.value is not None else None)
    summary = gettext("%(what)s, par département, %(round)s.") % {"what": what, "round": round.label}
    title = gettext("Carte de France : %(what)s par département") % {"what": what.lower()}
    svg = maps.france_map(regions, bins, title, summary)
    return rows, svg, what


@dataclass
class SchoolPoint:
    school: School
    seen: bool  # in the viewer's scope: its figure is shown
    fill: str | None
    text: str


def department_points(round, filters, department, seen_schools, indicator):
    """[SchoolPoint] of the département's schools (filters applied), the legend, the title."""
    schools = School.objects.filter(department=department, **filters.conditions())
    if filters.district is not None:
        schools = schools.filter(districts=filters.district)
    if filters.similar is not None:
        schools = schools.filter(filters.similar.condition())
    schools = list(schools.order_by("sort_name", "uai"))
    seen = set(seen_schools.filter(department=department).values_list("pk", flat=True))
    stages = filters.result_stages
    summaries = {
        row[0]: row[1:]
        for row in AssessmentSummary.objects.filter(
            campaign_id__in=round.campaign_ids(), school_id__in=seen
        ).values_list("school_id", "stage", "domains")
    }
    if indicator == PARTICIPATION:
        legend = [
            (fill, gettext("Positionnement %(stage)s") % {"stage": Stage(stage).label})
            for stage, fill in STAGE_FILLS.items()
        ]
        legend.append((NOT_CONCERNED, gettext("Non concernée par la campagne")))
    else:
        levels = levels_of(round.framework)
        fills = maps.bins_for(len(levels))
        # The level's label alone: the map's title and the indicator name the domain.
        legend = [
            (fill, gettext("Niveau : %(level)s") % {"level": label})
            for fill, (__, label) in zip(fills, levels, strict=True)
        ]
        legend.append((NOT_CONCERNED, gettext("Pas de positionnement compté")))
    legend.append((OUTSIDE, gettext("Hors de votre périmètre, sans donnée")))
    points = []
    for school in schools:
        if not disclosed(1, int(school.pk in seen)):  # a figure over one school, seen or not
            points.append(SchoolPoint(school, False, None, gettext("hors de votre périmètre")))
            continue
        stage, domains = summaries.get(school.pk, (None, {}))
        if indicator == PARTICIPATION:
            fill = STAGE_FILLS.get(stage, NOT_CONCERNED)
            text = (
                gettext("positionnement %(stage)s") % {"stage": Stage(stage).label}
                if stage
                else gettext("non concernée par la campagne")
            )
        elif stage in stages and str(indicator.pk) in domains:
            level = domains[str(indicator.pk)][0]
            fill = fills[level]
            text = gettext("%(domain)s : %(level)s") % {"domain": indicator.title, "level": levels[level][1]}
        else:
            fill, text = NOT_CONCERNED, gettext("pas de positionnement compté")
        points.append(SchoolPoint(school, True, fill, text))
    counts = Counter(p.fill or OUTSIDE for p in points)
    return points, [
        (fill, gettext("%(label)s : %(count)s") % {"label": label, "count": counts[fill]})
        for fill, label in legend
    ]


def department_svg(department, points, legend, round, indicator):
    placed = [p for p in points if p.school.latitude is not None and p.school.longitude is not None]
    words = school_words()
    seen = [p for p in placed if p.seen]
    what = (
        gettext("l’état de leur positionnement")
        if indicator == PARTICIPATION
        else gettext("leur niveau en %(domain)s") % {"domain": indicator.title}
    )
    summary = gettext(
        "%(department)s, %(round)s. Sur la carte : %(schools)s, dont %(seen)s de votre périmètre, dont la "
        "couleur indique %(what)s ; les autres sont marqués sans donnée. Le tableau qui suit donne les mêmes "
        "informations."
    ) % {
        "department": department,
        "round": round.label,
        "schools": words.count(len(placed)),
        "seen": len(seen),
        "what": what,
    }
    map_points = [
        maps.Point(
            p.school.longitude,
            p.school.latitude,
            p.fill,
            gettext("%(name)s (%(commune)s) : %(text)s")
            % {"name": p.school.name, "commune": p.school.commune, "text": p.text},
        )
        for p in placed
    ]
    code = maps.map_code(department.code)
    if code not in maps.shapes():
        return None
    if indicator == PARTICIPATION:
        title = gettext("Carte des écoles : %(department)s") % {"department": department}
    else:
        title = gettext("Carte des écoles : %(department)s, niveau en %(domain)s") % {
            "department": department,
            "domain": indicator.title,
        }
    return maps.department_map(code, map_points, legend, title, summary)

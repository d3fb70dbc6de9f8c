"""The values of an indicator: entered by hand, or computed from the observatory's aggregates.

A computed indicator has one value per campaign round of its framework in the académie:
the latest round's value is « now » (as the answers stand), each earlier round's is the
value at its close. Its scope is the roadmap's académie, or the département or district
the indicator names, narrowed by type, sector and éducation prioritaire.

Definitions, over the schools concerned by the round in that scope (the denominator of a share):
- soumis: those whose positioning is submitted;
- critere: those whose collective answer to the criterion is « atteint »;
- niveau: those whose level reached in the domain is at least N;
- objectif: those with a SMART objective in the domain closed as achieved (by the round's
  close for an earlier round).
Criteria and levels count the started positionings (or the submitted ones, if the indicator
says so); a positioning not started meets nothing.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.utils.translation import gettext as _

from paliers.accounts.scoping import schools_for
from paliers.assessments.aggregates import disclosed
from paliers.assessments.models import Campaign
from paliers.core.charts import format_decimal
from paliers.core.typography import NBSP
from paliers.objectives.models import Objective
from paliers.observatory.figures import TOTAL, Participation, Reader
from paliers.observatory.selection import Area, Filters, Round
from paliers.schools.models import Department, School

from .models import Definition, Measure


@dataclass(frozen=True)
class Point:
    label: str
    school_year: str | None
    on: date | None
    value: float | None  # a number, or a percentage (0–100) for a share
    count: int | None = None  # computed: the schools counted
    total: int | None = None  # computed: the schools concerned
    hidden: bool = False  # the small-group rule
    comment: str = ""


def area_of(indicator):
    if indicator.district_id:
        return Area(schools=School.objects.filter(districts=indicator.district_id))
    if indicator.department_id:
        return Area(departments=frozenset({indicator.department_id}))
    academy = indicator.axis.roadmap.academy_id
    return Area(
        departments=frozenset(Department.objects.filter(academy_id=academy).values_list("pk", flat=True))
    )


def filters_of(indicator):
    return Filters(
        kind=indicator.school_kind,
        sector=indicator.sector,
        priority=indicator.priority,
        submitted_only=indicator.submitted_only,
    )


def rounds_of(indicator):
    """(Round, date of its close) of the framework in the roadmap's académie, oldest first."""
    campaigns = Campaign.objects.filter(framework=indicator.framework, academy=indicator.axis.roadmap.academy)
    closes = campaigns.values("school_year").annotate(closes_on=Max("closes_on")).order_by("school_year")
    return [(Round(indicator.framework, row["school_year"]), row["closes_on"]) for row in closes]


def points(indicator, user):
    """The indicator's values, oldest first, as `user` may see them."""
    if not indicator.computed:
        return [
            Point(f"{value.on:%d/%m/%Y}", None, value.on, float(value.value), comment=value.comment)
            for value in indicator.values.all()
        ]
    rounds = rounds_of(indicator)
    area, filters = area_of(indicator), filters_of(indicator)
    found = []
    for index, (round, closes_on) in enumerate(rounds):
        now = index == len(rounds) - 1
        reader = Reader(round, area, filters)
        total = (reader.participation().get(TOTAL) or Participation()).total
        # The latest round is « now » only while it is not frozen: a closed round reads the
        # figures taken at its close, however late the page is read.
        now = now and not reader.frozen
        count = _count(indicator, reader, area, filters, None if now else closes_on)
        year = {"year": round.school_year}
        label = _("Aujourd’hui (%(year)s)") % year if now else _("Clôture %(year)s") % year
        seen = total if total >= 5 else reader.summaries().filter(school__in=schools_for(user)).count()
        if not disclosed(total, seen):
            found.append(Point(label, round.school_year, None if now else closes_on, None, None, total, True))
            continue
        value = count if indicator.measure == Measure.COUNT else (100 * count / total if total else None)
        found.append(Point(label, round.school_year, None if now else closes_on, value, count, total))
    return found


def latest(indicator, user):
    found = points(indicator, user)
    return found[-1] if found else None


def _count(indicator, reader, area, filters, until):
    definition = indicator.definition
    if definition == Definition.SUBMITTED:
        return (reader.participation().get(TOTAL) or Participation()).submitted
    if definition == Definition.CRITERION_MET:
        (figure,) = reader.criteria(only=indicator.criterion)
        return figure.met
    if definition == Definition.DOMAIN_LEVEL:
        figure = reader.domains().get(TOTAL, {}).get(indicator.domain_id)
        return sum(n for level, n in figure.levels.items() if level >= indicator.level) if figure else 0
    if definition == Definition.OBJECTIVE_ACHIEVED:
        schools = area.school_set().filter(**filters.conditions())
        achieved = Objective.objects.filter(achieved=True, domain_id=indicator.domain_id, school__in=schools)
        if until is not None:
            achieved = achieved.filter(closed_on__lte=until)
        return achieved.values("school_id").distinct().count()
    raise ValueError(f"Définition inconnue : {definition!r}")


def shown_number(value, indicator):
    """A value as the pages print it: « 12 », « 12,5 », « 37,5 % »; « — » without value."""
    if value is None:
        return "—"
    value = float(value)
    text = format_decimal(value, 0 if value.is_integer() else 1)
    return f"{text}{NBSP}%" if indicator.measure == Measure.SHARE else text


def shown(point, indicator):
    if point is None:
        return "—"
    if point.hidden:
        return _("non diffusé")
    return shown_number(point.value, indicator)

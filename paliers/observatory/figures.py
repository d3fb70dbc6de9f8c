"""The observatory's figures for one round over one area: plain data for pages, CSV and API.

Read from the aggregates only (assessments/aggregate_models.py): the tallies for whole
départements, the assessments' summaries for anything smaller. Never from the answers.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from paliers.assessments.aggregate_models import AssessmentSummary, CriterionTally, DomainTally, StageTally
from paliers.assessments.aggregates import COLUMN, structure_of
from paliers.assessments.lifecycle import FROZEN, frozen_ids
from paliers.assessments.lifecycle_models import ClosedSummary
from paliers.frameworks.comparability import comparable_domains, crosswalk_correspondences
from paliers.frameworks.models import Criterion, Crosswalk, Domain
from paliers.schools.models import Department, District, district_labels

TOTAL = "total"  # the group of a figure computed over the whole area


@dataclass
class Participation:
    not_started: int = 0
    in_progress: int = 0
    submitted: int = 0

    @property
    def total(self):
        return self.not_started + self.in_progress + self.submitted

    @property
    def started(self):
        return self.in_progress + self.submitted

    @property
    def submitted_share(self):
        return self.submitted / self.total if self.total else None

    def counts(self):
        return [self.not_started, self.in_progress, self.submitted]


@dataclass
class DomainFigure:
    """Over a set of assessments: how many reached each level of a domain, and their scores."""

    levels: Counter = field(default_factory=Counter)  # level reached → schools
    score_sum: int = 0  # thousandths

    @property
    def schools(self):
        return sum(self.levels.values())

    @property
    def average(self):
        return self.score_sum / self.schools / 1000 if self.schools else None

    def add(self, level, schools, score_sum):
        self.levels[level] += schools
        self.score_sum += score_sum


@dataclass
class CriterionFigure:
    criterion: Criterion
    met: int
    in_progress: int
    not_met: int
    schools: int  # the assessments counted (started, or submitted only)

    @property
    def met_share(self):
        return self.met / self.schools if self.schools else None


class Reader:
    """The figures of `round` over `area` with `filters` (selection.py)."""

    def __init__(self, round, area, filters):
        self.round, self.area, self.filters = round, area, filters
        self.campaign_ids = round.campaign_ids()
        # A round whose campaigns are all closed reads the figures frozen at their close
        # (lifecycle.freeze); until then, the live aggregates: late answers move only those.
        self.frozen = bool(self.campaign_ids) and frozen_ids(self.campaign_ids) == set(self.campaign_ids)

    def _base(self, model):
        model = FROZEN[model] if self.frozen else model
        rows = model.objects.filter(campaign_id__in=self.campaign_ids, **self.filters.conditions())
        if self.area.from_tallies:
            if self.area.departments is not None:
                rows = rows.filter(department_id__in=self.area.departments)
            return rows
        return rows.filter(school__in=self.area.schools)

    def _summaries(self, by):
        rows = (ClosedSummary if self.frozen else AssessmentSummary).objects.filter(
            campaign_id__in=self.campaign_ids, **self.filters.conditions()
        )
        if by == "district":
            # A district's figures cover its schools; a département of the area holds them all.
            return rows.filter(school__in=self.area.school_set())
        return self._base(AssessmentSummary)

    def _grouped(self, by):
        """Whether to read the summaries, and the column naming each row's group."""
        if by == "district":
            return True, "school__districts"
        return not self.area.from_tallies, "department_id" if by == "department" else None

    def participation(self, by=None):
        """{group: Participation}; the group is TOTAL, a département id or a district id."""
        summaries, column = self._grouped(by)
        if summaries:
            rows = self._summaries(by).values(*filter(None, [column]), "stage").annotate(n=Count("pk"))
        else:
            rows = self._base(StageTally).values(*filter(None, [column]), "stage").annotate(n=Sum("schools"))
        found = defaultdict(Participation)
        for row in rows:
            group = row[column] if column else TOTAL
            if group is not None:
                setattr(found[group], row["stage"], getattr(found[group], row["stage"]) + row["n"])
        return dict(found)

    def domains(self, by=None):
        """{group: {domain id: DomainFigure}} over the assessments the results count."""
        summaries, column = self._grouped(by)
        found = defaultdict(lambda: defaultdict(DomainFigure))
        stages = self.filters.result_stages
        if summaries:
            rows = self._summaries(by).filter(stage__in=stages)
            for group, domains in rows.values_list(column or "stage", "domains"):
                group = group if column else TOTAL
                if group is not None:
                    for pk, (level, score) in domains.items():
                        found[group][int(pk)].add(level, 1, score)
        else:
            rows = (
                self._base(DomainTally)
                .filter(stage__in=stages)
                .values(*filter(None, [column]), "domain_id", "level")
                .annotate(n=Sum("schools"), s=Sum("score_sum"))
            )
            for row in rows:
                found[row[column] if column else TOTAL][row["domain_id"]].add(
                    row["level"], row["n"], row["s"]
                )
        return {group: dict(domains) for group, domains in found.items()}

    def summaries(self):
        """The assessments' summaries of the area with the filters (all stages)."""
        return self._base(AssessmentSummary)

    def criteria(self, only=None):
        """[CriterionFigure] in the framework's order, over the assessments the results count
        (with `only`, a criterion: that one alone)."""
        stages = self.filters.result_stages
        counts, schools = defaultdict(lambda: [0, 0, 0]), 0
        if self.area.from_tallies:
            tallies = self._base(CriterionTally).filter(stage__in=stages)
            if only is not None:
                tallies = tallies.filter(criterion=only)
            rows = tallies.values("criterion_id").annotate(
                met=Sum("met"), ongoing=Sum("in_progress"), not_met=Sum("not_met")
            )
            for row in rows:
                counts[row["criterion_id"]] = [row["met"], row["ongoing"], row["not_met"]]
            schools = self._base(StageTally).filter(stage__in=stages).aggregate(n=Sum("schools"))["n"] or 0
        else:
            ids = structure_of(self.round.framework.pk).criterion_ids
            for letters in (
                self._base(AssessmentSummary).filter(stage__in=stages).values_list("answers", flat=True)
            ):
                schools += 1
                for criterion_id, letter in zip(ids, letters, strict=True):
                    if letter in COLUMN:
                        counts[criterion_id][COLUMN[letter]] += 1
        criteria = Criterion.objects.filter(framework=self.round.framework).select_related("domain", "level")
        if only is not None:
            criteria = criteria.filter(pk=only.pk)
        return [
            CriterionFigure(c, *counts[c.pk], schools)
            for c in criteria.order_by("domain__position", "position", "pk")
        ]


def evolution(round, area, filters):
    """[(round, Participation, {domain id: DomainFigure}, comparable)] of the rounds up to
    `round`: of its framework (`comparable` None), and of the earlier versions a crosswalk
    leads from, whose figures are given under the domains of `round`'s framework that the
    crosswalk makes comparable (`comparable`: their ids), and only those."""
    years = []
    for earlier in round.earlier_and_this():
        reader = Reader(earlier, area, filters)
        figures, comparable = reader.domains().get(TOTAL, {}), None
        if earlier.framework != round.framework:
            figures, comparable = _across(earlier.framework, round.framework, figures)
        years.append((earlier, reader.participation().get(TOTAL) or Participation(), figures, comparable))
    return years


def _across(source, target, figures):
    """The figures of `source`'s domains under the comparable domains of `target`."""
    crosswalk = Crosswalk.objects.get(source=source, target=target)
    source_ids = dict(Domain.objects.filter(framework=source).values_list("code", "pk"))
    target_ids = dict(Domain.objects.filter(framework=target).values_list("code", "pk"))
    pairs = {target_ids[t]: source_ids[s] for t, s in comparable_domains(crosswalk).items()}
    return {t: figures[s] for t, s in pairs.items() if s in figures}, set(pairs)


def crosswalks_into(round):
    """[(Crosswalk, [Correspondence])] from the earlier versions the evolution of `round` shows."""
    shown = {r.framework.pk for r in round.earlier_and_this()} - {round.framework.pk}
    crosswalks = Crosswalk.objects.filter(target=round.framework, source__in=shown).select_related("source")
    return [(crosswalk, crosswalk_correspondences(crosswalk)) for crosswalk in crosswalks]


def domains_of(framework):
    return list(Domain.objects.filter(framework=framework).order_by("position"))


def levels_of(framework):
    """0 (no level reached) and the framework's level numbers, with their labels."""
    # Rows, not values_list: a row shows its label in the reader's language (frameworks/languages.py).
    return [(0, _("Aucun niveau")), *((lv.number, lv.label) for lv in framework.levels.order_by("number"))]


def group_names(by, ids):
    """{id: label} of départements or districts."""
    if by == "district":
        return district_labels(District.objects.filter(pk__in=ids))
    return {d.pk: str(d) for d in Department.objects.filter(pk__in=ids)}


def grouping(area, filters):
    """How the pages split the area: by district inside one département, else by département."""
    return "district" if filters.department or area.single_department() else "department"

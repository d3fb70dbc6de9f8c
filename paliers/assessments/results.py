"""From the database to the scoring functions' plain data, and back to pages."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from paliers.frameworks.comparability import crosswalk_correspondences
from paliers.frameworks.models import Criterion, Domain

from .aggregate_models import AssessmentSummary, Stage
from .aggregates import disclosed
from .models import Answer
from .scoring import score_framework


def framework_structure(framework):
    """The framework as the scoring functions read it: domains → (components →) criteria."""
    domains = {}
    for criterion in (
        Criterion.objects.filter(framework=framework)
        .select_related("domain", "component", "level")
        .order_by("position")
    ):
        domain = domains.setdefault(
            criterion.domain_id,
            {"code": criterion.domain.code, "title": criterion.domain.title, "_components": {}},
        )
        pair = (criterion.code, criterion.level.number)
        if criterion.component_id:
            component = domain["_components"].setdefault(
                criterion.component_id,
                {"code": criterion.component.code, "title": criterion.component.title, "criteria": []},
            )
            component["criteria"].append(pair)
        else:
            domain.setdefault("criteria", []).append(pair)
    structure = []
    for domain in domains.values():
        components = list(domain.pop("_components").values())
        if components:
            domain["components"] = components
        structure.append(domain)
    return structure


def answers_of(assessment):
    return dict(Answer.objects.filter(assessment=assessment).values_list("criterion__code", "value"))


def assessment_results(assessment, structure=None):
    structure = structure or framework_structure(assessment.campaign.framework)
    return score_framework(structure, answers_of(assessment))


@dataclass(frozen=True)
class Evolution:
    """Last campaign's scores beside this one's: by domain on the same version; across
    versions, only for the domains the crosswalk makes comparable (`correspondences` says
    which, and why the others are not)."""

    previous: object  # the previous Assessment
    scores: dict  # {domain code of this framework: previous score}
    correspondences: list | None  # None on the same version

    def rows(self, domains):
        """[(Correspondence, previous score, this score)] across versions, else []."""
        now = {d.code: d.score for d in domains}
        return [(c, self.scores.get(c.target), now.get(c.target)) for c in self.correspondences or ()]

    @property
    def label(self):
        campaign = self.previous.campaign
        if self.correspondences is None:
            return campaign.school_year
        return _("%(year)s (version %(version)s)") % {
            "year": campaign.school_year,
            "version": campaign.framework.version,
        }


def evolution(assessment, structure):
    """The Evolution since the previous campaign, or None (none, or no crosswalk between two
    versions: nothing is comparable then)."""
    from .carrying import crosswalk_between, previous_assessment

    previous = previous_assessment(assessment)
    if previous is None:
        return None
    if previous.campaign.framework_id == assessment.campaign.framework_id:
        result = score_framework(structure, answers_of(previous))
        return Evolution(previous, {d.code: d.score for d in result.domains}, None)
    crosswalk = crosswalk_between(previous, assessment)
    if crosswalk is None:
        return None
    before = score_framework(framework_structure(previous.campaign.framework), answers_of(previous))
    by_code = {d.code: d.score for d in before.domains}
    found = crosswalk_correspondences(crosswalk)
    return Evolution(previous, {c.target: by_code.get(c.source) for c in found if c.comparable}, found)


def district_average_scores(assessment, structure):
    """Average progress score per domain over the other submitted assessments of the
    school's districts in the same campaign, and how many; None when fewer than
    MIN_SCHOOLS: with no viewer known, the small-group rule as for a publication.
    Read from the assessments' summaries (aggregates), not scored again; pages with a
    viewer use `benchmark.averages`, which also gives the département and the académie."""
    peers = (
        AssessmentSummary.objects.filter(
            campaign=assessment.campaign,
            stage=Stage.SUBMITTED,
            school__districts__in=assessment.school.districts.all(),
        )
        .exclude(pk=assessment.pk)
        .distinct()
    )
    domains = peers.values_list("domains", flat=True)
    if not disclosed(len(domains), 0):
        return None
    codes = {
        str(pk): code
        for pk, code in Domain.objects.filter(framework_id=assessment.campaign.framework_id).values_list(
            "pk", "code"
        )
    }
    totals = {}
    for found in domains:
        for pk, (__, score) in found.items():
            totals[codes[pk]] = totals.get(codes[pk], 0) + score
    return {code: total / len(domains) / 1000 for code, total in totals.items()}, len(domains)

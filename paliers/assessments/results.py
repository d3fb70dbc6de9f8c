"""From the database to the scoring functions' plain data, and back to pages."""

from paliers.frameworks.models import Criterion

from .models import Answer, Assessment, AssessmentStatus
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


def previous_results(assessment, structure):
    """Last campaign's results on the same framework version, when there are some."""
    from .answering import previous_assessment

    previous = previous_assessment(assessment)
    if previous is None or previous.campaign.framework_id != assessment.campaign.framework_id:
        return None, None
    return previous, score_framework(structure, answers_of(previous))


def district_average_scores(assessment, structure):
    """Average progress score per domain over the submitted assessments of the school's
    districts in the same campaign, and how many (None when fewer than 2 other schools
    submitted). Computed on the page for now; the observatory will keep it up to date."""
    peers = (
        Assessment.objects.filter(
            campaign=assessment.campaign,
            status=AssessmentStatus.SUBMITTED,
            school__districts__in=assessment.school.districts.all(),
        )
        .exclude(pk=assessment.pk)
        .distinct()
    )
    peers = list(peers[:500])
    if len(peers) < 2:
        return None
    totals = {}
    for peer in peers:
        for domain in score_framework(structure, answers_of(peer)).domains:
            totals.setdefault(domain.code, []).append(domain.score)
    return {code: sum(scores) / len(scores) for code, scores in totals.items()}, len(peers)

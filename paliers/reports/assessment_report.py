"""The PDF report of one assessment: what goes in it, read with a fixed number of queries.

The charts are the results page's SVG (`core/charts.py`), drawn from the same series;
the report adds the SMART timetable and every criterion with its answer and comment.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.safestring import mark_safe

from paliers.assessments.benchmark import averages
from paliers.assessments.models import Answer, AnswerValue
from paliers.assessments.results import assessment_results, framework_structure, previous_results
from paliers.core.charts import Series, bar_chart, radar_chart
from paliers.frameworks.models import Criterion
from paliers.objectives.models import Checkpoint, Objective
from paliers.objectives.steering import suggestions, target_levels, timetable
from paliers.schools.words import school_words

from .pdf import render_pdf

ANSWER_LABELS = dict(AnswerValue.choices)


@dataclass
class CriterionLine:
    code: str
    text: str
    level: str
    value: str
    comment: str
    evidence_url: str

    @property
    def answer(self):
        return ANSWER_LABELS[self.value]


@dataclass
class CriteriaGroup:
    title: str  # the component's title, or "" for criteria straight under the domain
    lines: list = field(default_factory=list)


@dataclass
class CriteriaSection:
    title: str
    groups: list = field(default_factory=list)


def chart_series(assessment, framework, result, previous, previous_result, comparison):
    """The radar's series, as the results page draws them (`comparison`: the viewer's
    `benchmark.averages`, of which the nearest one shown)."""
    domains = result.domains
    series = [Series("Cette année", [d.score for d in domains], "main")]
    if previous_result is not None:
        by_code = {d.code: d.score for d in previous_result.domains}
        year = previous.campaign.school_year
        series.append(Series(year, [by_code.get(d.code) for d in domains], "previous"))
    nearest = next((a for a in comparison if a.scores and a.area != "academy"), None)
    if nearest is not None:
        series.append(
            Series(
                f"Moyenne {nearest.label} ({school_words(assessment.campaign).count(nearest.schools)})",
                [nearest.scores.get(d.code) for d in domains],
                "average",
            )
        )
    targets = target_levels(assessment.school, framework)
    if targets:
        series.append(
            Series(
                "Cible des objectifs engagés",
                [max(targets.get(d.code, 0), d.score) for d in domains],
                "target",
            )
        )
    return series


def criteria_sections(framework, answers):
    """Every criterion in framework order, under its domain and component, with its answer."""
    sections, current = [], {}
    for criterion in (
        Criterion.objects.filter(framework=framework)
        .select_related("domain", "component", "level")
        .order_by("position")
    ):
        if current.get("domain") != criterion.domain_id:
            sections.append(CriteriaSection(criterion.domain.title))
            current = {"domain": criterion.domain_id}
        section = sections[-1]
        if not section.groups or current.get("component") != criterion.component_id:
            section.groups.append(CriteriaGroup(criterion.component.title if criterion.component_id else ""))
            current["component"] = criterion.component_id
        answer = answers.get(criterion.pk)
        section.groups[-1].lines.append(
            CriterionLine(
                code=criterion.code,
                text=criterion.text,
                level=criterion.level.label,
                value=answer.value if answer else AnswerValue.NOT_ANSWERED,
                comment=answer.comment if answer else "",
                evidence_url=answer.evidence_url if answer else "",
            )
        )
    return sections


def school_objectives(school, framework):
    """The school's objectives on this framework, with their points de situation."""
    return list(
        Objective.objects.filter(school=school, framework=framework)
        .select_related("domain", "component", "level", "pilot")
        .prefetch_related(
            Prefetch("checkpoints", queryset=Checkpoint.objects.order_by("date", "pk")), "criteria"
        )
    )


def report_context(assessment, viewer, *, structure=None, today=None):
    """Everything the report template shows; averages are those `viewer` may see (as on the
    results page: an average over a few schools is hidden from whoever does not see them all)."""
    today = today or timezone.localdate()
    framework = assessment.campaign.framework
    structure = structure or framework_structure(framework)
    result = assessment_results(assessment, structure)
    levels = list(framework.levels.order_by("number"))
    previous, previous_result = previous_results(assessment, structure)
    comparison = averages(assessment, viewer)
    series = chart_series(assessment, framework, result, previous, previous_result, comparison)
    answers = {a.criterion_id: a for a in Answer.objects.filter(assessment=assessment)}
    objectives = school_objectives(assessment.school, framework)
    committed = [o for o in objectives if not o.is_draft]
    return {
        "assessment": assessment,
        "school": assessment.school,
        "campaign": assessment.campaign,
        "framework": framework,
        "levels": levels,
        "result": result,
        "series": series,
        "radar": mark_safe(  # noqa: S308 (charts.py escapes every text it draws)
            radar_chart(
                [d.title for d in result.domains],
                series,
                max_value=len(levels),
                title="Positionnement par domaine",
                chart_id="radar",
            )
        ),
        "bars": mark_safe(  # noqa: S308
            bar_chart(
                [lv.label for lv in levels],
                [result.percentages.get(lv.number) for lv in levels],
                title="Pourcentage de critères atteints par niveau",
                chart_id="barres",
            )
        ),
        "strengths": result.strengths,
        "suggestions": suggestions(assessment.school, framework, result.domains),
        "objectives": timetable(committed, today=today),
        "drafts": len(objectives) - len(committed),
        "sections": criteria_sections(framework, answers),
        "generated_on": today,
        "title": f"Positionnement {assessment.campaign.school_year} — {assessment.school.name}",
    }


def assessment_report_pdf(assessment, viewer, **options):
    return render_pdf("reports/pdf/assessment.html", report_context(assessment, viewer, **options))

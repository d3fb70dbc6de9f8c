"""The PDF report of one assessment: what goes in it, read with a fixed number of queries.

Everything the results page shows comes from the same function (`results_page.results_context`):
charts, tables, comparison, strengths and next steps; the report adds the SMART timetable and
every criterion with its answer and comment.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from paliers.assessments.models import Answer, AnswerValue
from paliers.assessments.results_page import results_context
from paliers.frameworks.models import Criterion
from paliers.objectives.models import Checkpoint, Objective
from paliers.objectives.steering import timetable

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
    criterion: object = None  # the row its text and level come from: french_lang

    @property
    def answer(self):
        return ANSWER_LABELS[self.value]


@dataclass
class CriteriaGroup:
    title: str  # the component's title, or "" for criteria straight under the domain
    lines: list = field(default_factory=list)
    element: object = None  # the component: french_lang


@dataclass
class CriteriaSection:
    title: str
    groups: list = field(default_factory=list)
    element: object = None  # the domain: french_lang


def criteria_sections(framework, answers):
    """Every criterion in framework order, under its domain and component, with its answer."""
    sections, current = [], {}
    for criterion in (
        Criterion.objects.filter(framework=framework)
        .select_related("domain", "component", "level")
        .order_by("position")
    ):
        if current.get("domain") != criterion.domain_id:
            sections.append(CriteriaSection(criterion.domain.title, element=criterion.domain))
            current = {"domain": criterion.domain_id}
        section = sections[-1]
        if not section.groups or current.get("component") != criterion.component_id:
            component = criterion.component if criterion.component_id else None
            section.groups.append(CriteriaGroup(component.title if component else "", element=component))
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
                criterion=criterion,
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
    """Everything the report shows: the results page's own context (`results_context`, with the
    averages `viewer` may see: an average over a few schools is hidden from whoever does not see
    them all), then the SMART timetable and every criterion with its answer."""
    today = today or timezone.localdate()
    framework = assessment.campaign.framework
    context = results_context(assessment, viewer, structure=structure)
    answers = {a.criterion_id: a for a in Answer.objects.filter(assessment=assessment)}
    objectives = school_objectives(assessment.school, framework)
    committed = [o for o in objectives if not o.is_draft]
    return {
        **context,
        "school": assessment.school,
        "campaign": assessment.campaign,
        "framework": framework,
        "objectives": timetable(committed, today=today),
        "drafts": len(objectives) - len(committed),
        "sections": criteria_sections(framework, answers),
        "generated_on": today,
        "title": _("Positionnement %(year)s — %(school)s")
        % {"year": assessment.campaign.school_year, "school": assessment.school.name},
    }


def assessment_report_pdf(assessment, viewer, **options):
    return render_pdf("reports/pdf/assessment.html", report_context(assessment, viewer, **options))

"""CSV exports over a scope, written for French Excel by core/csv.py (BOM, `;`, decimal
commas, no cell that a spreadsheet would run as a formula).

Rows are produced as they are written (a generator), answers read BATCH assessments at a
time: a département's export never sits whole in memory.
"""

from django.utils.translation import gettext_lazy as _

from paliers.assessments.models import Answer, AnswerValue
from paliers.assessments.results import framework_structure
from paliers.core.charts import format_decimal

from .scope import BATCH, score_many

ANSWER_LABELS = dict(AnswerValue.choices)


def decimal(value, digits=2):
    """1.5 → « 1,50 »; None → "" (an empty cell, not a dash, so that sums still work)."""
    return "" if value is None else format_decimal(value, digits)


def percent_number(fraction):
    """0.755 → « 75,5 »: a number a spreadsheet can average, the unit in the header."""
    return "" if fraction is None else format_decimal(fraction * 100, 1)


def _school_columns(assessment):
    school = assessment.school
    return [
        school.uai,
        school.name,
        school.get_kind_display(),
        school.commune,
        school.department.code,
        " / ".join(d.name for d in school.districts.all()),
        assessment.stage.label,
    ]


SCHOOL_HEADER = [
    "UAI", _("École ou établissement"), _("Type"), _("Commune"), _("Département"), _("Districts"), _("État")
]  # fmt: skip


def _batches(assessments):
    batch = []
    for assessment in assessments.iterator(chunk_size=BATCH):
        batch.append(assessment)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def domain_rows(campaign, assessments):
    """(header, rows): one row per school × domain, with the level reached, the progress
    score and the share of criteria met at each level."""
    framework = campaign.framework
    structure = framework_structure(framework)
    levels = list(framework.levels.order_by("number"))
    header = [
        *SCHOOL_HEADER,
        _("Code du domaine"),
        _("Domaine"),
        _("Niveau atteint"),
        _("Score de progression"),
        *[_("%% de critères atteints — %(level)s") % {"level": lv.label} for lv in levels],
    ]

    def rows():
        for batch in _batches(assessments):
            results = score_many([a.pk for a in batch], structure, [lv.number for lv in levels])
            for assessment in batch:
                school = _school_columns(assessment)
                for domain in results[assessment.pk].domains:
                    yield [
                        *school,
                        domain.code,
                        domain.title,
                        domain.level,
                        decimal(domain.score),
                        *[percent_number(domain.percentages.get(lv.number)) for lv in levels],
                    ]

    return header, rows()


def criterion_rows(campaign, assessments):
    """(header, rows): one row per school × criterion, with the answer and its comment."""
    framework = campaign.framework
    criteria = list(framework.criteria.select_related("domain", "component", "level").order_by("position"))
    header = [
        *SCHOOL_HEADER,
        _("Domaine"),
        _("Composante"),
        _("Code du critère"),
        _("Niveau"),
        _("Critère"),
        _("Réponse"),
        _("Commentaire"),
    ]

    def rows():
        for batch in _batches(assessments):
            answers = _answers_with_comments([a.pk for a in batch])
            for assessment in batch:
                school = _school_columns(assessment)
                found = answers.get(assessment.pk, {})
                for criterion in criteria:
                    value, comment = found.get(criterion.pk, (AnswerValue.NOT_ANSWERED, ""))
                    yield [
                        *school,
                        criterion.domain.title,
                        criterion.component.title if criterion.component_id else "",
                        criterion.code,
                        criterion.level.label,
                        criterion.text,
                        ANSWER_LABELS[value],
                        comment,
                    ]

    return header, rows()


def _answers_with_comments(assessment_ids):
    found = {}
    for assessment_id, criterion_id, value, comment in Answer.objects.filter(
        assessment_id__in=assessment_ids
    ).values_list("assessment_id", "criterion_id", "value", "comment"):
        found.setdefault(assessment_id, {})[criterion_id] = (value, comment)
    return found

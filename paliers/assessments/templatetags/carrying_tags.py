"""The carried answers on the assessment and results pages, each in its own small block
(one line in those templates): the origin of a criterion's answer with its « Confirmer »
button, the offer to start from last year and what is left to confirm, the notice that
results count answers not confirmed yet."""

from django import template

from paliers.assessments.carried_pages import RULE_LABELS, origin_sources
from paliers.assessments.carrying import crosswalk_between, to_confirm
from paliers.assessments.models import AnswerValue

register = template.Library()


@register.inclusion_tag("assessments/_carried.html", takes_context=True)
def carried_origin(context, assessment, answer, editable):
    origin = getattr(answer, "carried_origin", None) or {}
    return {
        "assessment": assessment,
        "answer": answer,
        "carried": bool(getattr(answer, "carried_over", False)),
        "origin": origin,
        "sources": origin_sources(origin),
        "rule": RULE_LABELS.get(origin.get("rule")),
        "proposed": getattr(answer, "value", AnswerValue.NOT_ANSWERED) != AnswerValue.NOT_ANSWERED,
        "editable": editable,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("assessments/_carried_summary.html", takes_context=True)
def carried_summary(context, assessment, previous, editable):
    carried = assessment.answers.filter(carried_over=True)
    return {
        "assessment": assessment,
        "previous": previous,
        "crosswalk": previous and crosswalk_between(previous, assessment),
        "to_confirm": to_confirm(assessment).count(),
        "to_answer": carried.filter(value=AnswerValue.NOT_ANSWERED).count(),
        "editable": editable,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("assessments/_carried_notice.html")
def carried_notice(assessment):
    return {"assessment": assessment, "to_confirm": to_confirm(assessment).count()}

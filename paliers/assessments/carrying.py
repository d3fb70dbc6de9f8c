"""« Partir de l'an dernier »: carrying last campaign's answers over, on the same framework
or across a crosswalk to a new version, and confirming them.

A carried answer is marked (`Answer.carried_over`) with its origin (`carried_origin`: the
campaign, the framework, the source criteria with their answers and link types, the rule)
until a person confirms it — one by one, by domain or all at once — or answers otherwise.
Which answer a crosswalk proposes is a pure function of plain data (`propose`), the rule
documented in docs/frameworks.md.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from paliers.frameworks.models import CarryRule, Criterion, Crosswalk, LinkType

from . import aggregates
from .answering import NotEditable, _fields, _record, ensure_answerable, refresh_answered_count
from .models import Answer, AnswerValue, Assessment, AssessmentStatus

MET, IN_PROGRESS, NOT_MET = AnswerValue.MET, AnswerValue.IN_PROGRESS, AnswerValue.NOT_MET
SAME = "same"  # the origin's link type when the criterion is the same one (same framework, same code)

# What one source answer says of the target, by link type; absent: nothing.
SAYS = {
    LinkType.EQUAL: {MET: MET, IN_PROGRESS: IN_PROGRESS, NOT_MET: NOT_MET},
    LinkType.SOURCE_COVERS_TARGET: {MET: MET, IN_PROGRESS: IN_PROGRESS},
    LinkType.TARGET_COVERS_SOURCE: {MET: IN_PROGRESS, IN_PROGRESS: IN_PROGRESS, NOT_MET: NOT_MET},
    LinkType.PARTIAL: {},
}


def propose(rule, said):
    """The answer proposed for a target from what each of its links says (a value or None)."""
    if rule == CarryRule.ALL_SOURCES:
        if not said or None in said:
            return None
        if all(value == MET for value in said):
            return MET
        return NOT_MET if all(value == NOT_MET for value in said) else IN_PROGRESS
    given = [value for value in said if value is not None]
    if not given or (MET in given and NOT_MET in given):
        return None
    if MET in given:
        return MET
    return NOT_MET if NOT_MET in given else IN_PROGRESS


@dataclass(frozen=True)
class Carried:
    value: str  # the proposed answer, NOT_ANSWERED when the links propose none
    comment: str
    evidence_url: str
    sources: tuple  # ({"code", "value", "type"}, …)


def carry_across(links, rule, answers):
    """{target code: Carried} for every target criterion with an answered source.

    links: [(source code, target code, link type)]; answers: {source code: (value, comment,
    evidence_url)}. A comment and an evidence link follow only a lone `equal` link: written
    about another criterion, they would mislead."""
    by_target = {}
    for source, target, link_type in links:
        by_target.setdefault(target, []).append((source, link_type))
    carried = {}
    for target, sources in by_target.items():
        given = [(s, t, answers.get(s, (AnswerValue.NOT_ANSWERED, "", ""))) for s, t in sources]
        if all(answer[0] == AnswerValue.NOT_ANSWERED for _, _, answer in given):
            continue
        value = propose(rule, [SAYS[t].get(answer[0]) for _, t, answer in given])
        lone_equal = len(given) == 1 and given[0][1] == LinkType.EQUAL
        carried[target] = Carried(
            value=value or AnswerValue.NOT_ANSWERED,
            comment=given[0][2][1] if lone_equal else "",
            evidence_url=given[0][2][2] if lone_equal else "",
            sources=tuple({"code": s, "value": answer[0], "type": t} for s, t, answer in given),
        )
    return carried


def previous_assessment(assessment):
    """The school's latest assessment of an earlier campaign on the same framework (any
    version) or on a framework a crosswalk leads from to this one."""
    campaign = assessment.campaign
    sources = Crosswalk.objects.filter(target_id=campaign.framework_id).values("source_id")
    return (
        Assessment.objects.filter(
            Q(campaign__framework__slug=campaign.framework.slug) | Q(campaign__framework__in=sources),
            school_id=assessment.school_id,
            campaign__school_year__lt=campaign.school_year,
        )
        .select_related("campaign__framework")
        .order_by("-campaign__school_year", "-status")
        .first()
    )


def crosswalk_between(previous, assessment):
    """The crosswalk from the previous assessment's framework to this one's, if any."""
    source, target = previous.campaign.framework_id, assessment.campaign.framework_id
    if source == target:
        return None
    return Crosswalk.objects.filter(source_id=source, target_id=target).first()


def _carried(previous, assessment):
    """{target code: Carried} from the previous assessment: by crosswalk when one leads from
    its framework, else criterion by criterion of the same code."""
    given = previous.answers.exclude(value=AnswerValue.NOT_ANSWERED)
    rows = given.values_list("criterion__code", "value", "comment", "evidence_url")
    answers = {code: (value, comment, evidence) for code, value, comment, evidence in rows}
    crosswalk = crosswalk_between(previous, assessment)
    if crosswalk is not None:
        links = crosswalk.links.values_list("source__code", "target__code", "type")
        return carry_across(list(links), crosswalk.rule, answers), crosswalk.rule
    return {
        code: Carried(value, comment, evidence, ({"code": code, "value": value, "type": SAME},))
        for code, (value, comment, evidence) in answers.items()
    }, None


@transaction.atomic
def start_from_previous(assessment, user):
    """Carry the previous campaign's answers onto the criteria still unanswered, marked as
    carried over with their origin until someone confirms them. Returns how many were given
    a proposed answer (a criterion whose links propose none is marked, left unanswered)."""
    ensure_answerable(assessment)
    previous = previous_assessment(assessment)
    if previous is None:
        return 0
    framework = previous.campaign.framework
    carried, rule = _carried(previous, assessment)
    criteria = {c.code: c for c in Criterion.objects.filter(framework_id=assessment.campaign.framework_id)}
    answered = set(assessment.answers.values_list("criterion__code", flat=True))
    proposed = 0
    for code, found in carried.items():
        criterion = criteria.get(code)
        if criterion is None or code in answered:
            continue  # the criterion left the framework, or someone already answered it
        origin = {
            "school_year": previous.campaign.school_year,
            "framework_id": framework.pk,
            "framework": f"{framework.slug} {framework.version}",
            "version": framework.version,
            "same_framework": framework.pk == assessment.campaign.framework_id,
            "rule": rule,
            "sources": list(found.sources),
        }
        answer = Answer.objects.create(
            assessment=assessment,
            criterion=criterion,
            value=found.value,
            comment=found.comment,
            evidence_url=found.evidence_url,
            version=1,
            carried_over=True,
            carried_origin=origin,
            updated_by=user,
        )
        if found.value != AnswerValue.NOT_ANSWERED:
            empty = {"value": AnswerValue.NOT_ANSWERED, "comment": "", "evidence_url": ""}
            _record(assessment, criterion, empty, _fields(answer), user, "reprise")
            proposed += 1
    Assessment.objects.filter(pk=assessment.pk).update(started_from=previous)
    refresh_answered_count(assessment)
    aggregates.refresh(assessment.pk)
    return proposed


def to_confirm(assessment):
    """The carried answers with a proposed answer that nobody has confirmed yet."""
    return assessment.answers.filter(carried_over=True).exclude(value=AnswerValue.NOT_ANSWERED)


class ConfirmationRefused(Exception):
    def __init__(self, errors):
        self.errors = errors  # ["PIL.1.1 : …"]
        super().__init__("; ".join(errors))


def confirm(assessment, seen, user):
    """Confirm the carried answers `seen` ({criterion code: version seen}), all or nothing:
    refused when one was changed or confirmed by someone else meanwhile. Each confirmation
    is in the criterion's history (source « confirmation »). Returns how many."""
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().select_related("campaign").get(pk=assessment.pk)
        ensure_answerable(locked)
        if locked.status == AssessmentStatus.SUBMITTED:
            raise NotEditable(_("Ce positionnement est soumis : rouvrez-le pour le modifier."))
        answers = {a.criterion.code: a for a in to_confirm(locked).filter(criterion__code__in=list(seen))}
        errors = []
        for code, version in sorted(seen.items()):
            answer = answers.get(code)
            if answer is None:
                errors.append(_("%(code)s : n’est plus une réponse reprise à confirmer") % {"code": code})
            elif answer.version != version:
                errors.append(_("%(code)s : modifiée par quelqu’un d’autre entre-temps") % {"code": code})
        if errors:
            raise ConfirmationRefused(errors)
        for answer in answers.values():
            _record(locked, answer.criterion, _fields(answer), _fields(answer), user, "confirmation")
            answer.carried_over = False
            answer.version += 1
            answer.updated_by = user
            answer.save(update_fields=["carried_over", "version", "updated_by", "updated_at"])
        return len(answers)

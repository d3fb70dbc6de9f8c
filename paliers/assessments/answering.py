"""Changing an assessment: answers, submission, reopening (carrying last year over: carrying.py).

Plain functions used by the web pages, the API and the demo alike. Every change is
recorded (AnswerChange) with who, when, and the values before and after.
"""

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paliers.frameworks.models import Criterion

from . import aggregates
from .models import (
    Answer,
    AnswerChange,
    AnswerValue,
    Assessment,
    AssessmentStatus,
    SubmittedRevision,
)


class NotEditable(Exception):
    """The assessment is submitted: reopen it first."""


class CampaignClosed(NotEditable):
    """The campaign is not open to answers today (announced, or closed): HTTP 423 in the API."""


def ensure_answerable(assessment, today=None):
    """Raise CampaignClosed unless the assessment may change today (its campaign is open, or
    it was reopened after the close)."""
    today = today or timezone.localdate()
    campaign = assessment.campaign
    if assessment.answerable(today):
        return
    if today < campaign.opens_on:
        raise CampaignClosed(
            _("La campagne ouvre le %(opens)s : les réponses ne sont pas encore possibles.")
            % {"opens": f"{campaign.opens_on:%d/%m/%Y}"}
        )
    raise CampaignClosed(
        _(
            "La campagne est close depuis le %(closes)s : le positionnement est en "
            "lecture seule. L’administrateur de l’académie peut le rouvrir."
        )
        % {"closes": f"{campaign.closes_on:%d/%m/%Y}"}
    )


def is_late(assessment, today=None):
    return (today or timezone.localdate()) > assessment.campaign.closes_on


class AnswersInvalid(Exception):
    def __init__(self, errors):
        self.errors = errors  # [{"criterion": code, "error": "…"}]
        super().__init__("; ".join(f"{e['criterion']} : {e['error']}" for e in errors))


@dataclass
class SaveResult:
    answer: Answer
    conflict: bool = False  # True: refused, `answer` holds the other person's version


@dataclass
class PageResult:
    """A page of answers saved all or nothing."""

    saved: list = field(default_factory=list)  # the criteria written, in page order
    conflicts: dict = field(default_factory=dict)  # criterion code → the answer saved meanwhile


def digest(value, comment="", evidence_url=""):
    """What a page showed of an answer, in a few characters: a page sent back with the same
    digest did not change that criterion, whatever someone else saved since."""
    text = "\x1f".join(
        (value or AnswerValue.NOT_ANSWERED, (comment or "").strip(), (evidence_url or "").strip())
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def answer_digest(answer):
    if answer is None:
        return digest(AnswerValue.NOT_ANSWERED)
    return digest(answer.value, answer.comment, getattr(answer, "evidence_url", ""))


def changed_entries(entries, stored, blank):
    """Split a page's entries — dicts with criterion, value, comment, (evidence_url,)
    seen_version, seen_digest — into the ones the user changed, each with its stored
    answer (or `blank(criterion)`), and the conflicts among them: a change made over a
    version the user had not seen."""
    changed, conflicts = [], {}
    for entry in entries:
        criterion = entry["criterion"]
        answer = stored.get(criterion.pk) or blank(criterion)
        typed = digest(entry["value"], entry.get("comment"), entry.get("evidence_url"))
        if typed in (entry.get("seen_digest"), answer_digest(answer)):
            continue  # untouched on the page, or already saved as typed (an autosave got there first)
        if answer.version != entry["seen_version"]:
            conflicts[criterion.code] = answer
        changed.append((answer, entry))
    return changed, conflicts


def current_answer(assessment, criterion):
    return Answer.objects.filter(assessment=assessment, criterion=criterion).first() or Answer(
        assessment=assessment, criterion=criterion
    )


def _record(assessment, criterion, before, after, user, source):
    AnswerChange.objects.create(
        assessment=assessment,
        criterion=criterion,
        revision=assessment.revision,
        old_value=before["value"],
        new_value=after["value"],
        old_comment=before["comment"],
        new_comment=after["comment"],
        old_evidence_url=before["evidence_url"],
        new_evidence_url=after["evidence_url"],
        source=source,
        late=is_late(assessment),
        changed_by=user,
    )


def _fields(answer):
    return {"value": answer.value, "comment": answer.comment, "evidence_url": answer.evidence_url}


def refresh_answered_count(assessment):
    assessment.answered_count = (
        assessment.answers.exclude(value=AnswerValue.NOT_ANSWERED).values("criterion").count()
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        answered_count=assessment.answered_count, updated_at=timezone.now()
    )


def save_answer(
    assessment, criterion, *, value, comment="", evidence_url="", seen_version, user, source="web"
):
    """Save one answer made over `seen_version`; refused (conflict) if someone saved since."""
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().select_related("campaign").get(pk=assessment.pk)
        ensure_answerable(assessment)
        if assessment.status == AssessmentStatus.SUBMITTED:
            raise NotEditable(_("Ce positionnement est soumis : rouvrez-le pour le modifier."))
        answer = current_answer(assessment, criterion)
        if answer.version != seen_version:
            return SaveResult(answer, conflict=True)
        _apply(assessment, answer, value, comment, evidence_url, user, source)
        refresh_answered_count(assessment)
        aggregates.refresh(assessment.pk)  # in this transaction: the observatory sees the save at once
        return SaveResult(answer)


def _apply(assessment, answer, value, comment, evidence_url, user, source):
    """Write one answer and its history; saving the same values only confirms a
    carried-over answer. The caller holds the assessment's lock."""
    after = {"value": value, "comment": (comment or "").strip(), "evidence_url": (evidence_url or "").strip()}
    before = _fields(answer)
    if before == after and not answer.carried_over:
        return
    # The same values over a carried answer confirm it: in its history too.
    _record(assessment, answer.criterion, before, after, user, source if before != after else "confirmation")
    answer.value, answer.comment, answer.evidence_url = (
        after["value"],
        after["comment"],
        after["evidence_url"],
    )
    answer.version += 1
    answer.carried_over = False  # saved by someone: confirmed
    answer.updated_by = user
    answer.save()


def replace_answers(assessment, items, *, user, source="api"):
    """Set many answers by criterion code, all or nothing. `items`: dicts with criterion,
    value, and optionally comment, evidence_url and version (the version seen: a save over
    another version is a conflict, reported like any fault)."""
    criteria = {c.code: c for c in Criterion.objects.filter(framework_id=assessment.campaign.framework_id)}
    errors, seen_codes = [], set()
    for item in items:
        code = item.get("criterion")
        if code not in criteria:
            errors.append({"criterion": code, "error": "critère inconnu dans ce référentiel"})
        elif code in seen_codes:
            errors.append({"criterion": code, "error": "critère donné deux fois"})
        if item.get("value") not in AnswerValue.values:
            errors.append({"criterion": code, "error": f"réponse « {item.get('value')} » inconnue"})
        seen_codes.add(code)
    if errors:
        raise AnswersInvalid(errors)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().select_related("campaign").get(pk=assessment.pk)
        ensure_answerable(locked)
        if locked.status == AssessmentStatus.SUBMITTED:
            raise NotEditable(_("Ce positionnement est soumis : rouvrez-le pour le modifier."))
        existing = {a.criterion.code: a for a in locked.answers.select_related("criterion")}
        for item in items:
            answer = existing.get(item["criterion"])
            version = answer.version if answer else 0
            if item.get("version") is not None and item["version"] != version:
                errors.append(
                    {"criterion": item["criterion"], "error": f"conflit : version {version} en base"}
                )
        if errors:
            raise AnswersInvalid(errors)
        for item in items:
            criterion = criteria[item["criterion"]]
            answer = existing.get(item["criterion"]) or Answer(assessment=locked, criterion=criterion)
            _apply(locked, answer, item["value"], item.get("comment"), item.get("evidence_url"), user, source)
        refresh_answered_count(locked)
        aggregates.refresh(locked.pk)
    return locked


def save_answers(assessment, entries, *, user, source="web"):
    """A page's collective answers, all or nothing (the form without JavaScript). Only the
    criteria the user changed are written — a carried-over answer left as it was stays to
    be confirmed; one changed over a version the user had not seen refuses the whole page,
    with the answers saved meanwhile, so that the page shows them beside what was typed."""
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().select_related("campaign").get(pk=assessment.pk)
        ensure_answerable(locked)
        if locked.status == AssessmentStatus.SUBMITTED:
            raise NotEditable(_("Ce positionnement est soumis : rouvrez-le pour le modifier."))
        stored = {
            a.criterion_id: a
            for a in locked.answers.filter(criterion__in=[e["criterion"] for e in entries]).select_related(
                "criterion", "updated_by"
            )
        }
        changed, conflicts = changed_entries(
            entries, stored, lambda criterion: Answer(assessment=locked, criterion=criterion)
        )
        if conflicts:
            return PageResult(conflicts=conflicts)
        for answer, entry in changed:
            _apply(locked, answer, entry["value"], entry["comment"], entry["evidence_url"], user, source)
        if changed:
            refresh_answered_count(locked)
            aggregates.refresh(locked.pk)
        return PageResult(saved=[entry["criterion"] for __, entry in changed])


def unanswered_criteria(assessment):
    answered = assessment.answers.exclude(value=AnswerValue.NOT_ANSWERED).values("criterion_id")
    return Criterion.objects.filter(framework_id=assessment.campaign.framework_id).exclude(pk__in=answered)


@transaction.atomic
def submit(assessment, user):
    assessment = Assessment.objects.select_for_update().select_related("campaign").get(pk=assessment.pk)
    ensure_answerable(assessment)
    if assessment.status == AssessmentStatus.SUBMITTED:
        return assessment
    now = timezone.now()
    SubmittedRevision.objects.create(
        assessment=assessment,
        number=assessment.revision,
        answers={
            a.criterion.code: {"value": a.value, "comment": a.comment, "evidence_url": a.evidence_url}
            for a in assessment.answers.select_related("criterion")
        },
        submitted_at=now,
        submitted_by=user,
    )
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at, assessment.submitted_by = now, user
    assessment.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    aggregates.refresh(assessment.pk)
    return assessment


@transaction.atomic
def reopen(assessment, user):
    assessment = Assessment.objects.select_for_update().select_related("campaign").get(pk=assessment.pk)
    ensure_answerable(assessment)
    if assessment.status != AssessmentStatus.SUBMITTED:
        return assessment
    assessment.status = AssessmentStatus.DRAFT
    assessment.revision += 1
    assessment.reopened_at, assessment.reopened_by = timezone.now(), user
    assessment.save(update_fields=["status", "revision", "reopened_at", "reopened_by", "updated_at"])
    aggregates.refresh(assessment.pk)
    return assessment
